package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsConfigurationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Missing settings of the SMPP builder are configuration errors naming the setting, never a NullPointerException. */
class SmppBuilderValidationTest {

  private static final String UNSET = "SMS_GATEWAY_TEST_VARIABLE_THAT_IS_NEVER_SET";

  @Test
  @DisplayName("a password from an unset environment variable names smpp.password")
  void nullPassword() {
    assertThatThrownBy(() -> SmppSmsProvider.builder().host("127.0.0.1").systemId("esme")
        .password(System.getenv(UNSET))).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("smpp.password").hasMessageContaining("null");
  }

  @Test
  @DisplayName("a host or system_id from an unset environment variable names the setting at build()")
  void nullHostAndSystemId() {
    assertThatThrownBy(() -> SmppSmsProvider.builder().host(System.getenv(UNSET)).systemId("esme").build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("smpp.host");
    assertThatThrownBy(() -> SmppSmsProvider.builder().host("127.0.0.1").systemId(System.getenv(UNSET)).build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("smpp.systemId");
  }
}
