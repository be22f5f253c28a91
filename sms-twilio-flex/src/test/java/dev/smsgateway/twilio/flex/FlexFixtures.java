package dev.smsgateway.twilio.flex;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.FlexRouting;
import dev.smsgateway.routing.Mapping;

/** The mapping, worker and numbers the tests share. */
final class FlexFixtures {

  static final String WS = "WS" + "11111111111111111111111111111111";
  static final String WW = "WW" + "22222222222222222222222222222222";
  static final String IS = "IS" + "33333333333333333333333333333333";
  static final String KS = "KS" + "44444444444444444444444444444444";
  static final String WORKER_SID = "WK" + "55555555555555555555555555555555";
  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  static final PhoneNumber WORKER_PHONE = PhoneNumber.of("+14155550177");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550100"));
  static final FlexWorker WORKER = new FlexWorker(WORKER_SID, "alice@example.com", WORKER_PHONE);

  private FlexFixtures() {}

  static Mapping mapping() {
    return Mapping.builder("support").provider("twilio").defaultCountry("US").delivery(Delivery.FLEX)
        .flex(new FlexRouting(WS, WW, "sms", IS))
        .addNumber(n -> n.number(BUSINESS.address()).displayName("Support").queue("support"))
        .build();
  }
}
