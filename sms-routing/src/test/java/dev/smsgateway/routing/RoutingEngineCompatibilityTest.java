package dev.smsgateway.routing;

import dev.smsgateway.route.ConversationRouter;
import dev.smsgateway.test.ConversationRouterCompatibilityKit;

/** The routing engine passes the router kit, built on exactly the kit's world. */
class RoutingEngineCompatibilityTest extends ConversationRouterCompatibilityKit {

  static RoutingConfiguration configurationFor(Setup setup) {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder("kit")
            .provider("kit")
            .defaultCountry("US")
            .delivery(Delivery.QUEUE)
            .originatorTtl(setup.originatorTtl())
            .addNumber(n -> n.number(setup.businessNumber().address()).displayName("Kit").queue(setup.queueCode())))
        .build();
  }

  @Override
  protected ConversationRouter createRouter(Setup setup) {
    return RoutingEngine.builder()
        .configuration(configurationFor(setup))
        .clock(setup.clock())
        .originatorStore(setup.originatorStore())
        .optOutStore(setup.optOutStore())
        .conversationStore(setup.conversationStore())
        .build();
  }

  /** The router inside a ConversationService passes the same kit. */
  static class InsideConversationServiceTest extends ConversationRouterCompatibilityKit {
    @Override
    protected ConversationRouter createRouter(Setup setup) {
      return ConversationService.builder()
          .configuration(configurationFor(setup))
          .clock(setup.clock())
          .originatorStore(setup.originatorStore())
          .optOutStore(setup.optOutStore())
          .conversationStore(setup.conversationStore())
          .automaticSweeps(false) // the kit drives a virtual clock; nothing may sweep behind its back
          .build()
          .router();
    }
  }
}
