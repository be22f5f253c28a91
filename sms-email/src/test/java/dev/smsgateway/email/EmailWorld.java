package dev.smsgateway.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.RetryPolicy;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.routing.ChatControl;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.RecordingSmsProvider;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A world for sms-email tests: a virtual clock, a real SmsGateway over a recording provider, a ConversationService on
 * in-memory stores with two mappings (US and GB), and GreenMail (SMTP + IMAP on loopback, ephemeral ports) that the
 * refusal and reply emails are sent to over real SMTP.
 */
final class EmailWorld implements AutoCloseable {

  static final String SUPPORT = "+14155550100";
  static final String UK = "+447911123400";
  static final String SUPPORT_BOX = "sms+support@gw.example.com";
  static final String UK_BOX = "sms+uk@gw.example.com";
  static final String ALICE = "alice@agents.example.com";
  static final String BOB = "bob@agents.example.com";
  static final Session SESSION = Session.getInstance(new Properties());

  final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
  final RecordingSmsProvider provider = RecordingSmsProvider.builder().name("smsc").clock(clock).build();
  final InMemoryOriginatorStore originators = new InMemoryOriginatorStore(clock);
  final FlakyOriginators flakyOriginators = new FlakyOriginators(originators);
  final InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
  final InMemoryConversationStore conversationStore = new InMemoryConversationStore(clock);
  final InMemoryMessageStore messageStore = new InMemoryMessageStore(clock);
  final List<String> events = new CopyOnWriteArrayList<>();
  final GreenMail mail;
  final ConversationService conversations;
  final SmsGateway gateway;
  final SmtpEmailSender smtp;

  EmailWorld() {
    ServerSetup smtpSetup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
    ServerSetup imapSetup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort();
    mail = new GreenMail(new ServerSetup[] {smtpSetup, imapSetup});
    mail.start();
    conversations = ConversationService.builder().configuration(configuration()).originatorStore(flakyOriginators)
        .optOutStore(optOuts).conversationStore(conversationStore).clock(clock)
        .listener(new ConversationListener() {
          @Override
          public void onAssigned(Conversation c, String agentId, String whisper) {
            events.add("assigned " + agentId + " whisper=" + whisper);
          }
        })
        .build();
    gateway = SmsGateway.builder().provider(provider).defaultRegion("US").clock(clock).optOutStore(optOuts)
        .messageStore(messageStore).retryPolicy(RetryPolicy.none()).inboundHandler(conversations)
        .listener(conversations.gatewayListener()).build();
    conversations.bind(gateway::send);
    gateway.start();
    conversations.registerAgent("alice", 3, Set.of("support"));
    conversations.setPresence("alice", Presence.AVAILABLE);
    conversations.registerAgent("bob", 3, Set.of("support"));
    conversations.setPresence("bob", Presence.AVAILABLE);
    smtp = SmtpEmailSender.builder().host("127.0.0.1").port(mail.getSmtp().getPort())
        .tls(SmtpEmailSender.Tls.NONE).timeout(Duration.ofSeconds(5)).build();
  }

  static RoutingConfiguration configuration() {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("support").provider("smsc").defaultCountry("US").originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder().suppressSystemMessages(true))
            .addNumber(n -> n.number(SUPPORT).displayName("ACME Support").queue("support")))
        .addMapping(Mapping.builder("uk").provider("smsc").defaultCountry("GB").originatorTtl(Duration.ofHours(24))
            .chatControl(ChatControl.builder().suppressSystemMessages(true))
            .addNumber(n -> n.number(UK).displayName("ACME UK").queue("support")))
        .build();
  }

  static EmailMailboxes mailboxes() {
    return EmailMailboxes.builder().mailbox(SUPPORT_BOX, SUPPORT).mailbox(UK_BOX, UK).build();
  }

  static EmailAgentResolver agents() {
    return EmailAgentResolver.allowList(Map.of(ALICE, "alice", BOB, "bob"));
  }

  EmailOrigination.Builder origination() {
    return EmailOrigination.builder().conversations(conversations).mailboxes(mailboxes()).agents(agents())
        .clock(clock).replySender(smtp).requiredChecks(Set.of()).sendTimeout(Duration.ofSeconds(5));
  }

  /** A plain email as a client would write it; {@code extra} adds headers or changes the body. */
  static MimeMessage email(String from, String to, String subject, String body, Consumer<MimeMessage> extra) {
    try {
      MimeMessage m = new MimeMessage(SESSION);
      m.setFrom(from);
      m.setRecipients(MimeMessage.RecipientType.TO, to);
      m.setSubject(subject, "UTF-8");
      m.setText(body, "UTF-8");
      String id = "<" + java.util.UUID.randomUUID() + "@mail.agents.example.com>";
      if (extra != null) {
        extra.accept(m);
      }
      String given = m.getHeader("Message-ID", null);
      m.saveChanges();
      // saveChanges writes a Message-ID of its own; keep the one a client wrote (or the test set)
      m.setHeader("Message-ID", given != null ? given : id);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      m.writeTo(out);
      return parse(out.toByteArray());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static MimeMessage email(String from, String to, String subject, String body) {
    return email(from, to, subject, body, null);
  }

  static MimeMessage parse(byte[] raw) {
    try {
      return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static MimeMessage parse(String raw) {
    return parse(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  static byte[] resource(String name) {
    try (InputStream in = EmailWorld.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mail GreenMail received, as MimeMessages. */
  MimeMessage[] received() {
    return mail.getReceivedMessages();
  }

  @Override
  public void close() {
    gateway.close();
    mail.stop();
  }

  /** An originator store that can be told to fail its next writes, as a database outage would. */
  static final class FlakyOriginators implements OriginatorStore {
    final OriginatorStore delegate;
    final AtomicInteger failNextPuts = new AtomicInteger();

    FlakyOriginators(OriginatorStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(OriginatorRecord record) {
      if (failNextPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("originator store unavailable");
      }
      delegate.put(record);
    }

    @Override
    public Optional<OriginatorRecord> find(PhoneNumber customer, Originator business) {
      return delegate.find(customer, business);
    }

    @Override
    public boolean remove(PhoneNumber customer, Originator business) {
      return delegate.remove(customer, business);
    }

    @Override
    public int purgeExpired() {
      return delegate.purgeExpired();
    }
  }
}
