package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.twilio.rest.api.v2010.account.Message;
import dev.smsgateway.routing.RoutingConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What an application built on the BOM does first: load its routing configuration, read a Twilio answer. */
class BomConsumerTest {

  @Test
  void jacksonModulesAreOneVersion() {
    String core = com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString();
    assertEquals(core, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(), "jackson-databind");
    assertEquals(core, com.fasterxml.jackson.dataformat.yaml.PackageVersion.VERSION.toString(),
        "jackson-dataformat-yaml");
  }

  @Test
  void loadsRoutingConfiguration() throws Exception {
    Path yaml = Path.of(BomConsumerTest.class.getResource("/routing.yaml").toURI());
    RoutingConfiguration config = RoutingConfiguration.load(yaml);
    assertEquals("sales", config.mappings().get(0).code());
    assertEquals(2, config.mappings().size());
  }

  @Test
  void twilioReadsItsOwnJson() {
    Message m = Message.fromJson("{\"sid\":\"SM0123456789abcdef0123456789abcdef\",\"status\":\"queued\","
        + "\"date_created\":\"Thu, 30 Jul 2015 20:12:31 +0000\"}", new com.fasterxml.jackson.databind.ObjectMapper());
    assertEquals("SM0123456789abcdef0123456789abcdef", m.getSid());
    assertEquals(Message.Status.QUEUED, m.getStatus());
  }
}
