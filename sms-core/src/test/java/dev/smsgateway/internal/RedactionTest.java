package dev.smsgateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsTransportException;
import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

  private static final String SECRET = "S3cr3t-X2-core";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      JDBC URL query             | No suitable driver found for jdbc:postgresql://db:5432/sms?user=app&password=S3cr3t-X2-core&ssl=true | jdbc:postgresql://db:5432/sms?user=app&password=****&ssl=true
      JDBC URL user info         | Connection to jdbc:postgresql://app:S3cr3t-X2-core@db/sms refused                                    | jdbc:postgresql://****@db/sms
      H2 URL setting             | URL format error; but is jdbc:h2:mem:x;USER=sa;PASSWORD=S3cr3t-X2-core;MODE=PostgreSQL               | USER=sa;PASSWORD=****;MODE=PostgreSQL
      H2 file password           | jdbc:h2:file:/d/x;CIPHER=AES;FILE_PASSWORD=S3cr3t-X2-core                                            | FILE_PASSWORD=****
      webhook URL user info      | must have a host and no query or fragment: 'https://twilio:S3cr3t-X2-core@hooks.example.com/x?a=1'  | 'https://****@hooks.example.com/x?a=1'
      presigned URL              | GET https://b.s3.amazonaws.com/k?X-Amz-Security-Token=S3cr3t-X2-core&X-Amz-Signature=S3cr3t-X2-core  | ?X-Amz-Security-Token=****&X-Amz-Signature=****
      AWS canonical request      | The Canonical String for this request should have been 'POST\\nhost:127.0.0.1\\nx-amz-security-token:S3cr3t-X2-core\\nx-amz-target:X' | x-amz-security-token:****
      JSON field                 | {"accountSid":"AC1","authToken":"S3cr3t-X2-core","apiSecret":"S3cr3t-X2-core"}                     | {"accountSid":"AC1","authToken":"****","apiSecret":"****"}
      Basic credentials          | request had Authorization: Basic QUMxOlMzY3IzdC1YMi1jb3Jl                                             | Authorization: Basic ****
      Bearer token               | header Authorization=Bearer S3cr3t-X2-core rejected                                                   | Bearer ****
      properties                 | smpp.password=S3cr3t-X2-core, smpp.systemId=esme                                                       | smpp.password=****, smpp.systemId=esme
      phone number               | The 'To' number +14155550100 is not a valid phone number                                               | The 'To' number +1415*****00 is not
      """)
  void removesCredentialsAndNumbers(String what, String input, String expectedPart) {
    String out = Redaction.text(input.replace("\\n", "\n"));
    assertThat(out).doesNotContain(SECRET).doesNotContain("QUMxOlMzY3IzdC1YMi1jb3Jl")
        .doesNotContain("+14155550100").contains(expectedPart.replace("\\n", "\n"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      SMPP status          | SMSC answered submit_sm with ESME_RTHROTTLED (0x00000058); slow down
      setting names        | Twilio: authToken (twilio.authToken) or apiKey and apiSecret (twilio.apiKey, twilio.apiSecret) are required
      request id           | AWS refused the request (403): UnrecognizedClientException [request id 5f1c0e2a-1b2c-4d5e-8f90-123456789012]
      masked number        | recipient +1415*****00 has opted out of messages
      plain URL            | could not reach https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json
      basic as a word      | basic authentication failed for system_id 'esme'
      short digit runs     | timed out after 30000 ms, attempt 3 of 10, at 2026-11-23T13:00:00+01:00
      """)
  void leavesOrdinaryTextAlone(String what, String input) {
    assertThat(Redaction.text(input)).isEqualTo(input);
  }

  @Test
  void keepsACleanCauseAsItIs() {
    IOException io = new IOException("connection reset");
    SQLException sql = new SQLException("Wrong user name or password [28000-232]", "28000", io);
    assertThat(Redaction.cause(sql)).isSameAs(sql);
    assertThat(Redaction.cause(null)).isNull();
  }

  @Test
  void replacesTheChainDownToTheDeepestCredential() {
    IOException bottom = new IOException("connection reset");
    SQLException leaky = new SQLException("No suitable driver found for jdbc:x://h/db?password=" + SECRET, "08001",
        bottom);
    RuntimeException top = new RuntimeException("wrapped", leaky);

    Throwable safe = Redaction.cause(top);

    assertThat(safe).isInstanceOf(Redaction.RedactedException.class).hasMessageContaining("wrapped");
    assertThat(((Redaction.RedactedException) safe).originalClassName()).isEqualTo(RuntimeException.class.getName());
    assertThat(safe.getStackTrace()).isEqualTo(top.getStackTrace());
    Throwable second = safe.getCause();
    assertThat(second).isInstanceOf(Redaction.RedactedException.class)
        .hasMessageContaining("java.sql.SQLException").hasMessageContaining("password=" + Redaction.MASK);
    assertThat(second.getCause()).isSameAs(bottom);
    for (Throwable t = safe; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
    }
  }

  @Test
  void survivesACycle() {
    RuntimeException a = new RuntimeException("password=" + SECRET);
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    Throwable safe = Redaction.cause(b);
    for (Throwable t = safe; t != null && t != a && t != b; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET);
    }
  }

  @Test
  void everySmsExceptionIsRedacted() {
    SQLException leaky = new SQLException("URL format error; jdbc:h2:mem:x;PASSWORD=" + SECRET, "90046");
    SmsTransportException e = new SmsTransportException("JDBC store: connecting failed: " + leaky.getMessage(), null,
        "90046", false, leaky);
    SmsConfigurationException c = new SmsConfigurationException("bad url https://u:" + SECRET + "@host/x");

    for (Throwable t : new Throwable[] {e, c}) {
      for (Throwable x = t; x != null; x = x.getCause()) {
        assertThat(String.valueOf(x.getMessage())).doesNotContain(SECRET);
        assertThat(x.toString()).doesNotContain(SECRET);
      }
    }
    assertThat(e.getMessage()).contains("PASSWORD=" + Redaction.MASK);
    assertThat(e.getCause()).isInstanceOf(Redaction.RedactedException.class);
  }
}
