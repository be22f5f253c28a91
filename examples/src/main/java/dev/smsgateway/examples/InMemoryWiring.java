package dev.smsgateway.examples;

import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import java.time.Clock;
import java.util.Set;

/**
 * What the provider examples wire the same way: one provider, a gateway and a conversation service on in-memory
 * stores, the transcript listening to both, and agent alice available in the "support" queue.
 *
 * <p>Not thread-safe to build; the parts it returns are.
 */
record InMemoryWiring(SmsGateway gateway, ConversationService conversations, InMemoryMessageStore messages) {

  static InMemoryWiring of(SmsProvider provider, RoutingConfiguration configuration, Clock clock,
      Transcript transcript) {
    InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
    InMemoryMessageStore messages = new InMemoryMessageStore(clock);
    ConversationService conversations = ConversationService.builder()
        .configuration(configuration)
        .originatorStore(new InMemoryOriginatorStore(clock))
        .optOutStore(optOuts)
        .conversationStore(new InMemoryConversationStore(clock))
        .clock(clock)
        .listener(transcript)
        .build();
    SmsGateway gateway = SmsGateway.builder()
        .provider(provider)
        .defaultRegion("US")
        .clock(clock)
        .optOutStore(optOuts)
        .messageStore(messages)
        .inboundHandler(conversations)
        .listener(conversations.gatewayListener())
        .listener(transcript)
        .build();
    conversations.bind(gateway::send);
    conversations.registerAgent("alice", 2, Set.of("support"));
    conversations.setPresence("alice", Presence.AVAILABLE);
    return new InMemoryWiring(gateway, conversations, messages);
  }
}
