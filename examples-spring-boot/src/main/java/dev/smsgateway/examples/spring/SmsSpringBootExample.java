package dev.smsgateway.examples.spring;

import dev.smsgateway.InboundSms;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.store.Conversation;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application on sms-spring-boot-starter: the gateway, the SMPP provider, the stores, the routing of
 * replies and the health and info endpoints all come from {@code application.yml}; this class adds only what is the
 * application's own: an agent, and what the agent's desktop would show (here, log lines).
 *
 * <pre>
 * java -jar ... --spring.profiles.active=simulator     # an embedded SMSC simulator, no account needed
 * SMPP_HOST=smsc.example.net SMPP_PASSWORD=... java -jar ...
 * </pre>
 *
 * <p>Then {@code curl -XPOST localhost:8080/api/conversations -H 'Content-Type: application/json' -d
 * '{"agent":"alice","customer":"(415) 555-0123","text":"Your order shipped"}'} and look at
 * {@code /actuator/health} and {@code /actuator/info}.
 */
@SpringBootApplication
public class SmsSpringBootExample {

  private static final Logger log = LoggerFactory.getLogger(SmsSpringBootExample.class);

  public static void main(String[] args) {
    SpringApplication.run(SmsSpringBootExample.class, args);
  }

  /** The agent's desktop: what the ConversationService reports. Numbers are masked, as everywhere in the library. */
  @Bean
  ConversationListener desktop() {
    return new ConversationListener() {
      @Override
      public void onAssigned(Conversation conversation, String agentId, String whisper) {
        log.info("conversation {} is with {}", conversation.id(), agentId);
      }

      @Override
      public void onMessage(Conversation conversation, InboundSms sms) {
        log.info("customer {} wrote in conversation {} (handled by {})", sms.from().masked(), conversation.id(),
            conversation.target().key());
      }
    };
  }

  /** One agent serving the support queue, available from the start. */
  @Bean
  ApplicationRunner agents(ConversationService conversations) {
    return args -> {
      conversations.registerAgent("alice", 3, Set.of("support"));
      conversations.setPresence("alice", Presence.AVAILABLE);
    };
  }
}
