package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmppErrorsTest {

  @ParameterizedTest(name = "0x{0} {1} -> {2}, retryable={3}")
  @CsvSource({
      "58, ESME_RTHROTTLED, THROTTLED, true",
      "14, ESME_RMSGQFUL, THROTTLED, true",
      "08, ESME_RSYSERR, TRANSPORT, true",
      "0A, ESME_RINVSRCADR, REJECTED, false",
      "0B, ESME_RINVDSTADR, REJECTED, false",
      "48, ESME_RINVSRCTON, REJECTED, false",
      "49, ESME_RINVSRCNPI, REJECTED, false",
      "50, ESME_RINVDSTTON, REJECTED, false",
      "51, ESME_RINVDSTNPI, REJECTED, false",
      "0D, ESME_RBINDFAIL, CONFIGURATION, false",
      "0E, ESME_RINVPASWD, CONFIGURATION, false",
      "0F, ESME_RINVSYSID, CONFIGURATION, false",
      "53, ESME_RINVSYSTYP, CONFIGURATION, false",
      "05, ESME_RALYBND, TRANSPORT, true",
      "04, ESME_RINVBNDSTS, TRANSPORT, true",
      "45, ESME_RSUBMITFAIL, TRANSPORT, true",
      "01, ESME_RINVMSGLEN, REJECTED, false",
      "62, ESME_RINVEXPIRY, REJECTED, false",
      "64, ESME_RX_T_APPN, TRANSPORT, true",
      "65, ESME_RX_P_APPN, REJECTED, false",
      "C1, ESME_ROPTPARNOTALLWD, REJECTED, false",
      "FF, ESME_RUNKNOWNERR, TRANSPORT, true",
      "401, vendor-specific, TRANSPORT, true",
      "1234, unknown, TRANSPORT, true"})
  void mapsCommandStatus(String hex, String name, SmppErrors.Category category, boolean retryable) {
    int status = Integer.parseInt(hex, 16);
    assertThat(SmppErrors.name(status)).isEqualTo(name);
    assertThat(SmppErrors.category(status)).isEqualTo(category);
    SmsException e = SmppErrors.forSubmit(status, "p");
    assertThat(e.retryable()).isEqualTo(retryable);
    assertThat(e.possiblyDelivered()).isFalse();
    assertThat(e.providerCode()).contains(String.format("0x%08X", status));
    assertThat(e.provider()).contains("p");
    assertThat(e.getMessage()).contains(name);
    Class<?> type = switch (category) {
      case THROTTLED -> SmsThrottledException.class;
      case TRANSPORT -> SmsTransportException.class;
      case REJECTED -> SmsRejectedException.class;
      case CONFIGURATION -> SmsConfigurationException.class;
    };
    assertThat(e).isInstanceOf(type);
    assertThat(SmppErrors.stopsReconnecting(status)).isEqualTo(category == SmppErrors.Category.CONFIGURATION);
  }

  @ParameterizedTest
  @CsvSource({"0E", "0F", "0D"})
  void badCredentialsOnBindAreConfigurationErrorsThatNameTheSettings(String hex) {
    SmsException e = SmppErrors.forBind(Integer.parseInt(hex, 16), "p", "esme");
    assertThat(e).isInstanceOf(SmsConfigurationException.class);
    assertThat(e.getMessage()).contains("esme").contains("smpp.password");
  }
}
