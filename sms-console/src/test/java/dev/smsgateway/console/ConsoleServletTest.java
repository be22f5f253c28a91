package dev.smsgateway.console;

import static dev.smsgateway.console.ApiClient.Events.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link ConsoleServlet} mounted below a context path in a real Servlet 6 container (Jetty 12, ee10). */
class ConsoleServletTest {

  @Test
  @DisplayName("in Jetty under /app/console/*: sign-in cookie, origination, the event stream, a refusal, the page")
  void servesTheConsoleInAServletContainer() throws Exception {
    try (ConsoleFixture f = new ConsoleFixture()) {
      Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
      ServletContextHandler context = new ServletContextHandler("/app");
      context.addServlet(new ServletHolder(new ConsoleServlet(f.console)), "/console/*");
      jetty.setHandler(context);
      jetty.start();
      try {
        int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
        URI base = URI.create("http://127.0.0.1:" + port + "/app/console/");
        OpenApiContract contract = new OpenApiContract();
        ApiClient alice = new ApiClient(base, contract).bearer(ConsoleFixture.ALICE_TOKEN);
        ApiClient.Response session = alice.post("/api/session", null);
        assertThat(session.status()).isEqualTo(201);
        assertThat(session.header("Set-Cookie")).contains("HttpOnly");
        try (ApiClient.Events events = alice.events()) {
          assertThat(events.contentType).startsWith("text/event-stream");
          events.await(type("ready"));
          ApiClient.Response r = alice.post("/api/conversations",
              "{\"businessNumber\":\"" + ConsoleFixture.SUPPORT + "\",\"customerNumber\":\"+14155550188\","
                  + "\"text\":\"Hello from a servlet\"}");
          assertThat(r.status()).isEqualTo(201);
          JsonNode dlr = events.await(type("delivery"));
          assertThat(dlr.path("conversationId").asText()).isEqualTo(r.json().path("conversationId").asText());
          f.smsc.deliverMo("+14155550188", ConsoleFixture.SUPPORT, "Got it");
          assertThat(events.await(type("message")).path("text").asText()).isEqualTo("Got it");
        }
        ApiClient bob = new ApiClient(base, contract).bearer(ConsoleFixture.BOB_TOKEN);
        String id = alice.get("/api/conversations").json().path("assigned").get(0).path("id").asText();
        assertThat(bob.get("/api/conversations/" + id).status()).isEqualTo(404);
        ApiClient.Response big = alice.put("/api/me/presence", "{\"presence\":\"" + "A".repeat(20_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(base).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("static/console.js");
      } finally {
        jetty.stop();
      }
    }
  }
}
