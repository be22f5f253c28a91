package dev.smsgateway.test;

import dev.smsgateway.InboundSms;
import dev.smsgateway.route.ConversationRouter;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.store.OptOutRecord;
import java.util.Locale;

/**
 * Checks the router kit itself against the smallest router that follows the documented order (STOP, originator
 * record, the business number's queue, otherwise Unrouted). The real engine lives in sms-routing.
 */
class MinimalRouterCompatibilityTest extends ConversationRouterCompatibilityKit {

  @Override
  protected ConversationRouter createRouter(Setup setup) {
    return sms -> route(setup, sms);
  }

  private static RouteDecision route(Setup setup, InboundSms sms) {
    if (!sms.to().equals(setup.businessNumber())) {
      return new RouteDecision.Unrouted("no mapping for business number " + sms.to());
    }
    if (sms.body().strip().toUpperCase(Locale.ROOT).equals("STOP")) {
      setup.optOutStore().record(new OptOutRecord(sms.from(), true, "STOP", sms.to().key(), sms.receivedAt()));
      return new RouteDecision.AutoReply(RouteDecision.AutoReply.Kind.OPT_OUT, "STOP", null, "opt-out keyword");
    }
    return setup.originatorStore().find(sms.from(), sms.to())
        .<RouteDecision>map(r -> new RouteDecision.ToAgent(r.agentId(), null, r.outboundText(),
            "originator record within TTL (agent " + r.agentId() + ")"))
        .orElseGet(() -> new RouteDecision.ToQueue(setup.queueCode(), null, "business number's queue"));
  }
}
