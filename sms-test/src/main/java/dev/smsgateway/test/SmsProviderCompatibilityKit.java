package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.SegmentPlan;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SmsProvider} must show, run against a real peer (an SMSC simulator, a loopback HTTP
 * server). A subclass supplies a started provider and hooks that make its peer act:
 *
 * <pre>{@code
 * class SmppSmsProviderCompatibilityTest extends SmsProviderCompatibilityKit {
 *   SmscSimulator smsc = ...;
 *   protected SmsProvider createProvider(ProviderListener listener) { ...; provider.start(listener); return provider; }
 *   protected void peerSendsInbound(PhoneNumber from, Originator to, String text) { smsc.deliver(...); }
 *   protected void peerSendsReport(SendReceipt receipt, DeliveryStatus status) { smsc.receipt(...); }
 *   protected List<PeerSubmission> peerReceived() { ... }
 * }
 * }</pre>
 *
 * <p>Waiting uses {@link #timeout()} as a deadline for real I/O; nothing sleeps.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class SmsProviderCompatibilityKit {

  /**
   * One message (or one part of one) as the peer received it. Immutable and thread-safe.
   *
   * @param to the recipient, E.164 or digits
   * @param text the decoded text of this submission
   */
  public record PeerSubmission(String to, String text) {
    /** Checks fields. */
    public PeerSubmission {
      Objects.requireNonNull(to, "to == null");
      Objects.requireNonNull(text, "text == null");
    }
  }

  /** The provider under test, started with {@link #listener}. */
  protected SmsProvider provider;
  /** The listener given to the provider; it records what arrives. */
  protected final RecordingListener listener = new RecordingListener();

  /** A started provider whose listener is {@code listener}, talking to a fresh peer. */
  protected abstract SmsProvider createProvider(ProviderListener listener) throws Exception;

  /** Makes the peer send an inbound message from {@code from} to our {@code to}. */
  protected abstract void peerSendsInbound(PhoneNumber from, Originator to, String text) throws Exception;

  /** Makes the peer send a delivery report with {@code status} for the message {@code receipt} acknowledged. */
  protected abstract void peerSendsReport(SendReceipt receipt, DeliveryStatus status) throws Exception;

  /** What the peer received so far, in arrival order. */
  protected abstract List<PeerSubmission> peerReceived() throws Exception;

  /**
   * Makes the peer stop answering sends from now on. Return false (the default) if the peer cannot, and the checks
   * that need it are skipped.
   */
  protected boolean peerStopsAnswering() throws Exception {
    return false;
  }

  /** Whether the peer sees one submission per SMS part (SMPP) rather than one per message (HTTP APIs). */
  protected boolean peerSeesParts() {
    return true;
  }

  /** Releases the peer after each test. */
  protected void closePeer() throws Exception {}

  /** The deadline for any one wait on real I/O. Default 10 s. */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** The customer number the checks use. */
  protected PhoneNumber customer() {
    return PhoneNumber.of("+14155550100");
  }

  /** The business number the checks send from and receive on. */
  protected Originator businessNumber() {
    return Originator.longCode(PhoneNumber.of("+14155550199"));
  }

  @BeforeEach
  void createProviderUnderTest() throws Exception {
    provider = createProvider(listener);
  }

  @AfterEach
  void closeProviderUnderTest() throws Exception {
    try {
      if (provider != null) {
        provider.close();
      }
    } finally {
      closePeer();
    }
  }

  /** A request to {@link #customer()} from {@link #businessNumber()} with {@code text}. */
  protected SubmitRequest request(String text) {
    return SubmitRequest.builder().messageId(UUID.randomUUID().toString()).to(customer()).from(businessNumber())
        .body(text).build();
  }

  /** Waits for {@code future} up to {@link #timeout()}. */
  protected <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private SendReceipt sendAndCheck(String text) throws Exception {
    SubmitRequest request = request(text);
    SendReceipt receipt = await(provider.send(request));
    assertThat(receipt.messageId()).isEqualTo(request.messageId());
    assertThat(receipt.provider()).isEqualTo(provider.name());
    assertThat(receipt.providerMessageIds()).isNotEmpty().doesNotContainNull().doesNotHaveDuplicates();
    assertThat(receipt.parts()).isEqualTo(request.plan().partCount());
    return receipt;
  }

  private void assertPeerReceived(SegmentPlan plan) throws Exception {
    List<PeerSubmission> got = peerReceived();
    String digits = customer().digits();
    List<PeerSubmission> mine = got.stream().filter(s -> s.to().replace("+", "").equals(digits)).toList();
    if (peerSeesParts()) {
      assertThat(mine).extracting(PeerSubmission::text).containsExactlyElementsOf(plan.parts());
    } else {
      assertThat(mine).extracting(PeerSubmission::text).containsExactly(plan.text());
    }
  }

  @Nested
  @DisplayName("identity")
  class Identity {

    @Test
    @DisplayName("has a non-blank name and capabilities")
    void nameAndCapabilities() {
      assertThat(provider.name()).isNotBlank();
      assertThat(provider.capabilities()).isNotNull();
      assertThat(provider.capabilities().maxParts()).isPositive();
    }
  }

  @Nested
  @DisplayName("sending")
  class Sending {

    @Test
    @DisplayName("a single-part GSM-7 send returns a receipt with provider ids, and the peer got the text")
    void singlePart() throws Exception {
      SendReceipt receipt = sendAndCheck("Your table is ready");
      assertThat(receipt.parts()).isEqualTo(1);
      assertPeerReceived(request("Your table is ready").plan());
    }

    @Test
    @DisplayName("a 2-part GSM-7 message (200 septets, extension characters included) arrives whole")
    void multipartGsm() throws Exception {
      String text = "Price: 10€ [promo] ".repeat(10);
      SubmitRequest probe = request(text);
      assertThat(probe.plan().encoding()).isEqualTo(Encoding.GSM7);
      assertThat(probe.plan().partCount()).isEqualTo(2);
      sendAndCheck(text);
      assertPeerReceived(probe.plan());
    }

    @Test
    @DisplayName("a 2-part UCS-2 message with emoji arrives whole, surrogate pairs intact")
    void multipartUcs2() throws Exception {
      String text = "Привет 👋 мир! ".repeat(7);
      SubmitRequest probe = request(text);
      assertThat(probe.plan().encoding()).isEqualTo(Encoding.UCS2);
      assertThat(probe.plan().partCount()).isGreaterThanOrEqualTo(2);
      sendAndCheck(text);
      assertPeerReceived(probe.plan());
    }

    @Test
    @DisplayName("send(null) fails fast with NullPointerException(\"request == null\")")
    void nullRequest() {
      assertThatThrownBy(() -> provider.send(null)).isInstanceOf(NullPointerException.class)
          .hasMessage("request == null");
    }
  }

  @Nested
  @DisplayName("inbound traffic")
  class Inbound {

    @Test
    @DisplayName("an inbound message reaches the listener with its numbers and text")
    void inboundReachesListener() throws Exception {
      peerSendsInbound(customer(), businessNumber(), "Yes, see you at 8");
      InboundSms sms = listener.inbound.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
      assertThat(sms).as("inbound message within %s", timeout()).isNotNull();
      assertThat(sms.from()).isEqualTo(customer());
      assertThat(sms.to().address()).isEqualTo(businessNumber().address());
      assertThat(sms.body()).isEqualTo("Yes, see you at 8");
      assertThat(sms.provider()).isEqualTo(provider.name());
      assertThat(sms.providerMessageId()).isNotBlank();
    }

    @Test
    @DisplayName("a delivery report correlates to a provider id from the send's receipt")
    void reportCorrelates() throws Exception {
      SendReceipt receipt = sendAndCheck("Your order shipped");
      peerSendsReport(receipt, DeliveryStatus.DELIVERED);
      DeliveryReport report = listener.reports.poll(timeout().toMillis(), TimeUnit.MILLISECONDS);
      assertThat(report).as("delivery report within %s", timeout()).isNotNull();
      assertThat(report.provider()).isEqualTo(provider.name());
      assertThat(report.status()).isEqualTo(DeliveryStatus.DELIVERED);
      if (report.providerMessageId() != null) {
        assertThat(receipt.providerMessageIds()).contains(report.providerMessageId());
      } else {
        assertThat(report.messageId()).contains(receipt.messageId());
      }
    }
  }

  @Nested
  @DisplayName("closing")
  class Closing {

    @Test
    @DisplayName("close() is idempotent")
    void idempotent() {
      provider.close();
      assertThatCode(provider::close).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a send after close() fails its future with SmsTransportException and does not throw")
    void sendAfterClose() {
      provider.close();
      CompletableFuture<SendReceipt> f = provider.send(request("too late"));
      assertThatThrownBy(() -> f.get(timeout().toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SmsTransportException.class);
    }

    @Test
    @DisplayName("close() fails sends still waiting for the peer with SmsTransportException")
    void closeFailsPending() throws Exception {
      assumeTrue(peerStopsAnswering(), "the peer cannot be made to stop answering");
      CompletableFuture<SendReceipt> f = provider.send(request("never answered"));
      assertThat(f).isNotDone();
      provider.close();
      assertThatThrownBy(() -> f.get(timeout().toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SmsTransportException.class);
    }
  }

  /**
   * A {@link ProviderListener} that queues what it receives, for the checks.
   *
   * <p>Thread-safe.
   */
  public static final class RecordingListener implements ProviderListener {
    /** Inbound messages in arrival order. */
    public final BlockingQueue<InboundSms> inbound = new LinkedBlockingQueue<>();
    /** Delivery reports in arrival order. */
    public final BlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();
    /** State changes in order. */
    public final BlockingQueue<ProviderState> states = new LinkedBlockingQueue<>();

    @Override
    public void onInbound(InboundSms sms) {
      inbound.add(sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      reports.add(report);
    }

    @Override
    public void onStateChange(String provider, ProviderState state, String detail) {
      states.add(state);
    }
  }
}
