package dev.smsgateway.smpp;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import java.util.Map;

/**
 * Maps SMPP 3.4 command_status values (section 5.1.3) to {@link SmsException} categories. The classes follow what
 * Kannel, Jasmin and NowSMS agree on: throttling and a full queue are temporary, a system error is worth a few
 * retries, bad addresses are permanent, bad credentials are a configuration problem that stops reconnecting.
 *
 * <p>Thread-safe (stateless).
 */
final class SmppErrors {

  /** What a status means for the message and for the bind. */
  enum Category {
    THROTTLED, TRANSPORT, REJECTED, CONFIGURATION
  }

  static final int ESME_ROK = 0x00;
  static final int ESME_RALYBND = 0x05;
  static final int ESME_RSYSERR = 0x08;
  static final int ESME_RBINDFAIL = 0x0D;
  static final int ESME_RINVPASWD = 0x0E;
  static final int ESME_RINVSYSID = 0x0F;
  static final int ESME_RMSGQFUL = 0x14;
  static final int ESME_RTHROTTLED = 0x58;
  static final int ESME_RX_T_APPN = 0x64;
  static final int ESME_RX_P_APPN = 0x65;

  private record Entry(String name, Category category) {}

  private static final Map<Integer, Entry> TABLE = Map.ofEntries(
      Map.entry(0x01, new Entry("ESME_RINVMSGLEN", Category.REJECTED)),
      Map.entry(0x02, new Entry("ESME_RINVCMDLEN", Category.REJECTED)),
      Map.entry(0x03, new Entry("ESME_RINVCMDID", Category.REJECTED)),
      Map.entry(0x04, new Entry("ESME_RINVBNDSTS", Category.TRANSPORT)),
      Map.entry(ESME_RALYBND, new Entry("ESME_RALYBND", Category.TRANSPORT)),
      Map.entry(0x06, new Entry("ESME_RINVPRTFLG", Category.REJECTED)),
      Map.entry(0x07, new Entry("ESME_RINVREGDLVFLG", Category.REJECTED)),
      Map.entry(ESME_RSYSERR, new Entry("ESME_RSYSERR", Category.TRANSPORT)),
      Map.entry(0x0A, new Entry("ESME_RINVSRCADR", Category.REJECTED)),
      Map.entry(0x0B, new Entry("ESME_RINVDSTADR", Category.REJECTED)),
      Map.entry(0x0C, new Entry("ESME_RINVMSGID", Category.REJECTED)),
      Map.entry(ESME_RBINDFAIL, new Entry("ESME_RBINDFAIL", Category.CONFIGURATION)),
      Map.entry(ESME_RINVPASWD, new Entry("ESME_RINVPASWD", Category.CONFIGURATION)),
      Map.entry(ESME_RINVSYSID, new Entry("ESME_RINVSYSID", Category.CONFIGURATION)),
      Map.entry(0x11, new Entry("ESME_RCANCELFAIL", Category.REJECTED)),
      Map.entry(0x13, new Entry("ESME_RREPLACEFAIL", Category.REJECTED)),
      Map.entry(ESME_RMSGQFUL, new Entry("ESME_RMSGQFUL", Category.THROTTLED)),
      Map.entry(0x15, new Entry("ESME_RINVSERTYP", Category.REJECTED)),
      Map.entry(0x33, new Entry("ESME_RINVNUMDESTS", Category.REJECTED)),
      Map.entry(0x34, new Entry("ESME_RINVDLNAME", Category.REJECTED)),
      Map.entry(0x40, new Entry("ESME_RINVDESTFLAG", Category.REJECTED)),
      Map.entry(0x42, new Entry("ESME_RINVSUBREP", Category.REJECTED)),
      Map.entry(0x43, new Entry("ESME_RINVESMCLASS", Category.REJECTED)),
      Map.entry(0x44, new Entry("ESME_RCNTSUBDL", Category.REJECTED)),
      Map.entry(0x45, new Entry("ESME_RSUBMITFAIL", Category.TRANSPORT)),
      Map.entry(0x48, new Entry("ESME_RINVSRCTON", Category.REJECTED)),
      Map.entry(0x49, new Entry("ESME_RINVSRCNPI", Category.REJECTED)),
      Map.entry(0x50, new Entry("ESME_RINVDSTTON", Category.REJECTED)),
      Map.entry(0x51, new Entry("ESME_RINVDSTNPI", Category.REJECTED)),
      Map.entry(0x53, new Entry("ESME_RINVSYSTYP", Category.CONFIGURATION)),
      Map.entry(0x54, new Entry("ESME_RINVREPFLAG", Category.REJECTED)),
      Map.entry(0x55, new Entry("ESME_RINVNUMMSGS", Category.REJECTED)),
      Map.entry(ESME_RTHROTTLED, new Entry("ESME_RTHROTTLED", Category.THROTTLED)),
      Map.entry(0x61, new Entry("ESME_RINVSCHED", Category.REJECTED)),
      Map.entry(0x62, new Entry("ESME_RINVEXPIRY", Category.REJECTED)),
      Map.entry(0x63, new Entry("ESME_RINVDFTMSGID", Category.REJECTED)),
      Map.entry(ESME_RX_T_APPN, new Entry("ESME_RX_T_APPN", Category.TRANSPORT)),
      Map.entry(ESME_RX_P_APPN, new Entry("ESME_RX_P_APPN", Category.REJECTED)),
      Map.entry(0x66, new Entry("ESME_RX_R_APPN", Category.REJECTED)),
      Map.entry(0x67, new Entry("ESME_RQUERYFAIL", Category.TRANSPORT)),
      Map.entry(0xC0, new Entry("ESME_RINVOPTPARSTREAM", Category.REJECTED)),
      Map.entry(0xC1, new Entry("ESME_ROPTPARNOTALLWD", Category.REJECTED)),
      Map.entry(0xC2, new Entry("ESME_RINVPARLEN", Category.REJECTED)),
      Map.entry(0xC3, new Entry("ESME_RMISSINGOPTPARAM", Category.REJECTED)),
      Map.entry(0xC4, new Entry("ESME_RINVOPTPARAMVAL", Category.REJECTED)),
      Map.entry(0xFE, new Entry("ESME_RDELIVERYFAILURE", Category.REJECTED)),
      Map.entry(0xFF, new Entry("ESME_RUNKNOWNERR", Category.TRANSPORT)));

  private SmppErrors() {}

  /** The category of a status; unknown and vendor-specific statuses are transport errors (retryable, not delivered). */
  static Category category(int status) {
    Entry e = TABLE.get(status);
    return e == null ? Category.TRANSPORT : e.category();
  }

  /** The status as {@code 0x00000058}. */
  static String code(int status) {
    return String.format("0x%08X", status);
  }

  /** The status name from the SMPP 3.4 table, or {@code vendor/unknown}. */
  static String name(int status) {
    if (status == ESME_ROK) {
      return "ESME_ROK";
    }
    Entry e = TABLE.get(status);
    return e == null ? (status >= 0x400 && status <= 0x4FF ? "vendor-specific" : "unknown") : e.name();
  }

  /** Whether a bind refused with this status must not be retried (the credentials or set-up are wrong). */
  static boolean stopsReconnecting(int status) {
    return category(status) == Category.CONFIGURATION;
  }

  /** The exception for a negative response to a submit_sm. */
  static SmsException forSubmit(int status, String provider) {
    String what = "SMSC answered submit_sm with " + name(status) + " (" + code(status) + ")";
    return switch (category(status)) {
      case THROTTLED -> new SmsThrottledException(what + "; slow down and send again later", provider, code(status),
          null);
      case REJECTED -> new SmsRejectedException(what + "; the message was refused", provider, code(status));
      case CONFIGURATION -> new SmsConfigurationException(what + "; check the bind settings", provider, code(status),
          null);
      case TRANSPORT -> new SmsTransportException(what, provider, code(status), false, null);
    };
  }

  /** The exception for a refused bind. */
  static SmsException forBind(int status, String provider, String systemId) {
    String what = "SMSC refused bind of system_id '" + systemId + "' with " + name(status) + " (" + code(status) + ")";
    if (category(status) == Category.CONFIGURATION) {
      return new SmsConfigurationException(what + "; check smpp.systemId, smpp.password and smpp.systemType",
          provider, code(status), null);
    }
    return new SmsTransportException(what, provider, code(status), false, null);
  }
}
