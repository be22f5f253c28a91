package dev.smsgateway.smpp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.PDUSender;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** X1: {@link QuietPduSender} writes what jsmpp's {@code DefaultPDUSender} writes, without its DEBUG hex dump. */
class QuietPduSenderTest {

  private static final String PASSWORD = "simPw9";
  private static final String MOBILE = "+14155550177";

  private final Logger senderLog = (Logger) LoggerFactory.getLogger(DefaultPDUSender.class);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level before;

  @BeforeEach
  void captureJsmppSenderAtDebug() {
    before = senderLog.getLevel();
    senderLog.setLevel(Level.TRACE); // jsmpp dumps enquire_link(_resp) at TRACE, the rest at DEBUG
    events.start();
    senderLog.addAppender(events);
    // the control below makes jsmpp dump PDUs on purpose: keep them in this appender, out of the X1 log
    senderLog.setAdditive(false);
  }

  @AfterEach
  void restore() {
    senderLog.detachAppender(events);
    senderLog.setLevel(before);
    senderLog.setAdditive(true);
  }

  /** One PDU written by a sender into a buffer. */
  interface Write {
    void to(PDUSender sender, ByteArrayOutputStream out) throws Exception;
  }

  static Stream<Arguments> pdus() {
    OptionalParameter receipted = new OptionalParameter.COctetString(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID.code(), "1a2b");
    return Stream.of(
        Arguments.of("bind_resp with sc_interface_version", (Write) (s, o) ->
            s.sendBindResp(o, BindType.BIND_TRX.responseCommandId(), 7, "smsc-sim", InterfaceVersion.IF_34)),
        Arguments.of("bind_resp without version", (Write) (s, o) ->
            s.sendBindResp(o, BindType.BIND_TX.responseCommandId(), 8, "smsc-sim", null)),
        Arguments.of("bind_transceiver", (Write) (s, o) -> s.sendBind(o, BindType.BIND_TRX, 1, "esme", PASSWORD, "cp",
            InterfaceVersion.IF_34, TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null)),
        Arguments.of("deliver_sm with a TLV", (Write) (s, o) -> s.sendDeliverSm(o, 9, "", TypeOfNumber.INTERNATIONAL,
            NumberingPlanIndicator.ISDN, MOBILE.substring(1), TypeOfNumber.NATIONAL, NumberingPlanIndicator.ISDN,
            "12345", new ESMClass(0x04), (byte) 0, (byte) 0, new RegisteredDelivery(0),
            DataCodings.newInstance((byte) 0), "id:1a2b stat:DELIVRD".getBytes(StandardCharsets.US_ASCII), receipted)),
        Arguments.of("deliver_sm without a short message", (Write) (s, o) -> s.sendDeliverSm(o, 10, "",
            TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "14155550177", TypeOfNumber.UNKNOWN,
            NumberingPlanIndicator.UNKNOWN, "", new ESMClass(), (byte) 0, (byte) 0, new RegisteredDelivery(0),
            DataCodings.newInstance((byte) 8), null)),
        Arguments.of("submit_sm", (Write) (s, o) -> s.sendSubmitSm(o, 11, "", TypeOfNumber.INTERNATIONAL,
            NumberingPlanIndicator.ISDN, "14155550100", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
            "14155550177", new ESMClass(), (byte) 0, (byte) 1, null, null,
            new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.newInstance((byte) 0),
            (byte) 0, "hi".getBytes(StandardCharsets.US_ASCII))),
        Arguments.of("submit_sm_resp", (Write) (s, o) -> s.sendSubmitSmResp(o, 12, "10000")),
        Arguments.of("deliver_sm_resp", (Write) (s, o) -> s.sendDeliverSmResp(o, 0, 13, null)),
        Arguments.of("negative response header", (Write) (s, o) -> s.sendHeader(o, 0x80000004, 0x58, 14)),
        Arguments.of("generic_nack", (Write) (s, o) -> s.sendGenericNack(o, 0x03, 15)),
        Arguments.of("enquire_link", (Write) (s, o) -> s.sendEnquireLink(o, 16)),
        Arguments.of("enquire_link_resp", (Write) (s, o) -> s.sendEnquireLinkResp(o, 17)),
        Arguments.of("unbind", (Write) (s, o) -> s.sendUnbind(o, 18)),
        Arguments.of("unbind_resp", (Write) (s, o) -> s.sendUnbindResp(o, 0, 19)),
        Arguments.of("data_sm_resp", (Write) (s, o) -> s.sendDataSmResp(o, 0x03, 20, "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pdus")
  @DisplayName("writes the same bytes as jsmpp's DefaultPDUSender, and logs nothing where jsmpp logs the hex")
  void sameBytesNoLog(String name, Write write) throws Exception {
    ByteArrayOutputStream jsmpp = new ByteArrayOutputStream();
    write.to(new DefaultPDUSender(), jsmpp);
    // the control: jsmpp's own sender does dump this PDU at DEBUG
    assertThat(events.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
        .containsIgnoringCase(hexPrefix(jsmpp.toByteArray())));
    events.list.clear();

    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    write.to(new QuietPduSender(), quiet);

    assertThat(quiet.toByteArray()).isNotEmpty().isEqualTo(jsmpp.toByteArray());
    assertThat(events.list).isEmpty();
  }

  /** The first 8 bytes (command_length, command_id) in jsmpp's hex rendering, enough to find the dump. */
  private static String hexPrefix(byte[] pdu) {
    return HexFormat.of().formatHex(pdu, 0, 8);
  }
}
