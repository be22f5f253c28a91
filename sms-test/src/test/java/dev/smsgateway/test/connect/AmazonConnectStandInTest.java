package dev.smsgateway.test.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.test.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The stand-in as a client that is not the AWS SDK sees it: raw HTTP requests, so that requests breaking the models
 * can be sent, and the state rules checked one by one.
 */
class AmazonConnectStandInTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String INSTANCE = "inst-1";
  static final String FLOW = "flow-1";
  static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/connect/aws4_request,"
      + " SignedHeaders=host;x-amz-date, Signature=abc";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private AmazonConnectStandIn standIn;

  record Answer(int status, String errorType, JsonNode body) {}

  @BeforeEach
  void start() throws Exception {
    standIn = AmazonConnectStandIn.builder().models(AmazonConnectStandIn.sharedModels()).clock(clock)
        .connectionTtl(Duration.ofHours(1)).start().instance(INSTANCE, FLOW);
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private Answer call(String method, String path, String body, String bearer, boolean signed) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(standIn.endpoint().resolve(path))
        .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (signed) {
      r.header("Authorization", SIGV4);
    }
    if (bearer != null) {
      r.header("X-Amz-Bearer", bearer);
    }
    HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType").orElse(null),
        JSON.readTree(response.body()));
  }

  private Answer startChat(String extra) throws Exception {
    return call("PUT", "/contact/chat", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactFlowId\":\"" + FLOW
        + "\",\"ParticipantDetails\":{\"DisplayName\":\"+1415*****23\"}" + extra + "}", null, true);
  }

  private String connect(String participantToken) throws Exception {
    Answer a = call("POST", "/participant/connection", "{\"Type\":[\"CONNECTION_CREDENTIALS\"],"
        + "\"ConnectParticipant\":true}", participantToken, false);
    assertThat(a.status()).isEqualTo(200);
    return a.body().get("ConnectionCredentials").get("ConnectionToken").asText();
  }

  private Answer send(String connectionToken, String text, String clientToken) throws Exception {
    return call("POST", "/participant/message", "{\"ContentType\":\"text/plain\",\"Content\":\"" + text + "\""
        + (clientToken == null ? "" : ",\"ClientToken\":\"" + clientToken + "\"") + "}", connectionToken, false);
  }

  @Test
  @DisplayName("requests breaking the model are refused 400 InvalidParameterException and recorded: unknown member,"
      + " missing required member, too long, wrong type, nested structure, wrong enum")
  void modelRefusals() throws Exception {
    assertThat(startChat(",\"Colour\":\"red\"").errorType()).isEqualTo("InvalidParameterException");
    assertThat(call("PUT", "/contact/chat", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactFlowId\":\"" + FLOW
        + "\"}", null, true).status()).isEqualTo(400);
    assertThat(startChat(",\"ClientToken\":\"" + "x".repeat(501) + "\"").status()).isEqualTo(400);
    assertThat(startChat(",\"ChatDurationInMinutes\":\"sixty\"").status()).isEqualTo(400);
    assertThat(startChat(",\"InitialMessage\":{\"Content\":\"hi\"}").status()).isEqualTo(400);
    assertThat(call("POST", "/participant/connection", "{\"Type\":[\"PIGEON\"]}", "ptoken-x", false).status())
        .isEqualTo(400);
    assertThat(call("POST", "/participant/message", "{\"ContentType\":\"text/plain\",\"Content\":\"\"}",
        "ctoken-x", false).status()).as("Content below its minimum length").isEqualTo(400);
    assertThat(standIn.violations()).anySatisfy(v -> assertThat(v).contains("has no member Colour"))
        .anySatisfy(v -> assertThat(v).contains("ParticipantDetails is required"))
        .anySatisfy(v -> assertThat(v).contains("ClientToken length above the maximum 500"))
        .anySatisfy(v -> assertThat(v).contains("ChatDurationInMinutes must be an integer"))
        .anySatisfy(v -> assertThat(v).contains("InitialMessage.ContentType is required"))
        .anySatisfy(v -> assertThat(v).contains("is not one of"))
        .anySatisfy(v -> assertThat(v).contains("Content length below the minimum 1"));
    assertThat(standIn.contactIds()).isEmpty();
  }

  @Test
  @DisplayName("Connect calls need SigV4; participant calls need their bearer header; unknown paths are refused")
  void authentication() throws Exception {
    Answer unsigned = call("PUT", "/contact/chat", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactFlowId\":\""
        + FLOW + "\",\"ParticipantDetails\":{\"DisplayName\":\"x\"}}", null, false);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(call("POST", "/participant/message", "{\"ContentType\":\"text/plain\",\"Content\":\"hi\"}", null,
        false).status()).as("ConnectionToken (X-Amz-Bearer) is required").isEqualTo(400);
    assertThat(call("GET", "/contact/nowhere", "", null, true).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("an unknown instance or flow is 404 ResourceNotFoundException")
  void unknownInstance() throws Exception {
    Answer a = call("PUT", "/contact/chat", "{\"InstanceId\":\"other\",\"ContactFlowId\":\"" + FLOW
        + "\",\"ParticipantDetails\":{\"DisplayName\":\"x\"}}", null, true);
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.errorType()).isEqualTo("ResourceNotFoundException");
    assertThat(call("PUT", "/contact/chat", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactFlowId\":\"nope\","
        + "\"ParticipantDetails\":{\"DisplayName\":\"x\"}}", null, true).status()).isEqualTo(404);
    assertThat(standIn.violations()).isEmpty();
  }

  @Test
  @DisplayName("the same ClientToken starts one contact and adds one message")
  void idempotency() throws Exception {
    Answer first = startChat(",\"ClientToken\":\"sms:1\",\"InitialMessage\":{\"ContentType\":\"text/plain\","
        + "\"Content\":\"hi\"}");
    Answer again = startChat(",\"ClientToken\":\"sms:1\",\"InitialMessage\":{\"ContentType\":\"text/plain\","
        + "\"Content\":\"hi\"}");
    assertThat(again.body()).isEqualTo(first.body());
    String contact = first.body().get("ContactId").asText();
    assertThat(standIn.contactIds()).containsExactly(contact);
    String token = connect(first.body().get("ParticipantToken").asText());
    Answer m1 = send(token, "second", "sms:2");
    Answer m2 = send(token, "second", "sms:2");
    assertThat(m2.body().get("Id")).isEqualTo(m1.body().get("Id"));
    assertThat(standIn.customerMessages(contact)).containsExactly("hi", "second");
    assertThat(standIn.violations()).isEmpty();
  }

  @Test
  @DisplayName("connection tokens expire by the clock (403) and are renewed with the participant token; an ended chat"
      + " refuses messages but still reads its transcript")
  void tokensAndEnd() throws Exception {
    Answer started = startChat("");
    String contact = started.body().get("ContactId").asText();
    String participantToken = started.body().get("ParticipantToken").asText();
    String token = connect(participantToken);
    assertThat(send(token, "one", null).status()).isEqualTo(200);
    clock.advance(Duration.ofHours(1));
    Answer expired = send(token, "two", null);
    assertThat(expired.status()).isEqualTo(403);
    assertThat(expired.errorType()).isEqualTo("AccessDeniedException");
    String renewed = connect(participantToken);
    assertThat(send(renewed, "two", null).status()).isEqualTo(200);
    assertThat(call("POST", "/participant/message", "{\"ContentType\":\"text/plain\",\"Content\":\"x\"}",
        "ctoken-unknown", false).status()).isEqualTo(403);

    standIn.agentSays(contact, "hello from the agent");
    standIn.agentEnds(contact);
    assertThat(standIn.ended(contact)).isTrue();
    assertThat(send(renewed, "three", null).status()).isEqualTo(403);
    Answer transcript = call("POST", "/participant/transcript", "{\"ScanDirection\":\"FORWARD\","
        + "\"SortOrder\":\"ASCENDING\",\"MaxResults\":100}", renewed, false);
    assertThat(transcript.status()).isEqualTo(200);
    List<String> types = new java.util.ArrayList<>();
    transcript.body().get("Transcript").forEach(i -> types.add(i.get("Type").asText() + " "
        + i.path("ParticipantRole").asText() + " " + i.path("Content").asText(i.get("ContentType").asText())));
    assertThat(types).containsExactly(
        "EVENT CUSTOMER " + ChatItem.JOINED,
        "MESSAGE CUSTOMER one",
        "MESSAGE CUSTOMER two",
        "EVENT AGENT " + ChatItem.JOINED,
        "MESSAGE AGENT hello from the agent",
        "EVENT AGENT " + ChatItem.LEFT,
        "EVENT SYSTEM " + ChatItem.ENDED);
    assertThat(call("POST", "/participant/connection", "{\"Type\":[\"CONNECTION_CREDENTIALS\"]}",
        participantToken, false).status()).as("no new connection to an ended chat").isEqualTo(403);
    assertThat(standIn.violations()).isEmpty();
  }

  @Test
  @DisplayName("GetTranscript pages forward from an item (inclusive) with NextToken")
  void transcriptPaging() throws Exception {
    Answer started = startChat("");
    String contact = started.body().get("ContactId").asText();
    String token = connect(started.body().get("ParticipantToken").asText());
    for (int i = 1; i <= 5; i++) {
      send(token, "m" + i, null);
    }
    String second = standIn.transcript(contact).get(2).id();
    Answer page = call("POST", "/participant/transcript", "{\"ScanDirection\":\"FORWARD\",\"SortOrder\":"
        + "\"ASCENDING\",\"MaxResults\":2,\"StartPosition\":{\"Id\":\"" + second + "\"}}", token, false);
    assertThat(page.body().get("Transcript")).extracting(i -> i.get("Content").asText()).containsExactly("m2", "m3");
    Answer next = call("POST", "/participant/transcript", "{\"ScanDirection\":\"FORWARD\",\"SortOrder\":"
        + "\"ASCENDING\",\"MaxResults\":2,\"NextToken\":\"" + page.body().get("NextToken").asText() + "\"}", token,
        false);
    assertThat(next.body().get("Transcript")).extracting(i -> i.get("Content").asText()).containsExactly("m4", "m5");
    assertThat(next.body().has("NextToken")).isFalse();
  }

  @Test
  @DisplayName("streaming posts SNS envelopes signed with SHA256withRSA by the test CA's sns.amazonaws.com"
      + " certificate, with Connect's streaming message, in order; a chat's duration ends it")
  void streaming() throws Exception {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/", ex -> {
      received.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    endpoint.start();
    try {
      String topic = "arn:aws:sns:us-east-1:123456789012:chats";
      standIn.subscribe(topic, URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/"));
      Answer started = startChat(",\"ChatDurationInMinutes\":60");
      String contact = started.body().get("ContactId").asText();
      assertThat(call("POST", "/contact/start-streaming", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\""
          + contact + "\",\"ChatStreamingConfiguration\":{\"StreamingEndpointArn\":\"arn:aws:sns:us-east-1:"
          + "123456789012:unknown\"},\"ClientToken\":\"s1\"}", null, true).status()).isEqualTo(400);
      assertThat(call("POST", "/contact/start-streaming", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\""
          + contact + "\",\"ChatStreamingConfiguration\":{\"StreamingEndpointArn\":\"" + topic + "\"},"
          + "\"ClientToken\":\"s2\"}", null, true).status()).isEqualTo(200);
      standIn.agentSays(contact, "first");
      standIn.agentSays(contact, "second");
      clock.advance(Duration.ofMinutes(60));
      assertThat(standIn.ended(contact)).as("ChatDurationInMinutes passed").isTrue();
      standIn.awaitStreamed(Duration.ofSeconds(10));
      assertThat(received).hasSize(4); // agent joined, first, second, chat ended
      JsonNode envelope = received.get(1);
      assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
      assertThat(envelope.get("TopicArn").asText()).isEqualTo(topic);
      assertThat(envelope.get("SignatureVersion").asText()).isEqualTo("2");
      assertThat(envelope.get("SigningCertURL").asText()).startsWith("https://sns.us-east-1.amazonaws.com/");
      JsonNode message = JSON.readTree(envelope.get("Message").asText());
      assertThat(message.get("Content").asText()).isEqualTo("first");
      assertThat(message.get("ParticipantRole").asText()).isEqualTo("AGENT");
      assertThat(message.get("ContactId").asText()).isEqualTo(contact);
      assertThat(JSON.readTree(received.get(3).get("Message").asText()).get("ContentType").asText())
          .isEqualTo(ChatItem.ENDED);

      String toSign = "Message\n" + envelope.get("Message").asText() + "\nMessageId\n"
          + envelope.get("MessageId").asText() + "\nTimestamp\n" + envelope.get("Timestamp").asText()
          + "\nTopicArn\n" + topic + "\nType\nNotification\n";
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(standIn.signer().certificatePem()));
      cert.verify(standIn.signer().trustAnchor().getTrustedCert().getPublicKey());
      assertThat(cert.getSubjectX500Principal().getName()).contains("CN=sns.amazonaws.com");
      Signature verify = Signature.getInstance("SHA256withRSA");
      verify.initVerify(cert.getPublicKey());
      verify.update(toSign.getBytes(StandardCharsets.UTF_8));
      assertThat(verify.verify(Base64.getDecoder().decode(envelope.get("Signature").asText()))).isTrue();
      assertThatThrownBy(() -> standIn.agentSays(contact, "too late")).isInstanceOf(IllegalStateException.class);
    } finally {
      endpoint.stop(0);
    }
  }

  @Test
  @DisplayName("faults: throttling (429 ThrottlingException) and 5xx for the next n calls")
  void faults() throws Exception {
    standIn.throttleNext(1);
    Answer throttled = startChat("");
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.errorType()).isEqualTo("ThrottlingException");
    standIn.failNext(1, 503);
    assertThat(startChat("").status()).isEqualTo(503);
    assertThat(startChat("").status()).isEqualTo(200);
    assertThat(standIn.calls("StartChatContact")).isEqualTo(3);
  }

  @Test
  @DisplayName("failAfterApplyingNext: the named operation takes effect and is answered 5xx, other operations are not"
      + " affected, a retry with the same ClientToken adds nothing; chatDuration is ChatDurationInMinutes or 25 hours")
  void failAfterApplyingAndChatDuration() throws Exception {
    Answer started = startChat(",\"ChatDurationInMinutes\":90");
    String contact = started.body().get("ContactId").asText();
    assertThat(standIn.chatDuration(contact)).isEqualTo(Duration.ofMinutes(90));
    String token = connect(started.body().get("ParticipantToken").asText());

    standIn.failAfterApplyingNext("SendMessage", 2, 500);
    assertThat(call("POST", "/participant/transcript", "{\"ScanDirection\":\"FORWARD\"}", token, false).status())
        .as("another operation").isEqualTo(200);
    Answer first = send(token, "hello", "sms:1");
    assertThat(first.status()).isEqualTo(500);
    assertThat(first.errorType()).isEqualTo("InternalServiceException");
    assertThat(send(token, "hello", "sms:1").status()).isEqualTo(500);
    assertThat(send(token, "hello", "sms:1").status()).isEqualTo(200);
    assertThat(standIn.customerMessages(contact)).as("taken by the first call, once").containsExactly("hello");

    String other = startChat("").body().get("ContactId").asText();
    assertThat(standIn.chatDuration(other)).isEqualTo(Duration.ofHours(25));
  }

  private Answer startOutbound() throws Exception {
    return call("PUT", "/contact/outbound-chat", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactFlowId\":\"" + FLOW
        + "\",\"SourceEndpoint\":{\"Type\":\"CONNECT_PHONENUMBER_ARN\",\"Address\":\"arn:aws:connect:us-east-1:"
        + "123456789012:phone-number/abc\"},\"DestinationEndpoint\":{\"Type\":\"TELEPHONE_NUMBER\",\"Address\":"
        + "\"+14155550123\"},\"SegmentAttributes\":{\"connect:Subtype\":{\"ValueString\":\"connect:SMS\"}},"
        + "\"InitialSystemMessage\":{\"ContentType\":\"text/plain\",\"Content\":\"Your order shipped\"}}", null, true);
  }

  private Answer createParticipant(String contactId, String details, String clientToken) throws Exception {
    return call("POST", "/contact/create-participant", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\""
        + contactId + "\",\"ParticipantDetails\":" + details
        + (clientToken == null ? "" : ",\"ClientToken\":\"" + clientToken + "\"") + "}", null, true);
  }

  @Test
  @DisplayName("CreateParticipant: a CUSTOM_BOT joins an outbound SMS chat, its token connects and sends; the"
      + " customer's SMS reply and the bot's messages are in the chat; the same ClientToken adds no second one")
  void createParticipant() throws Exception {
    String contact = startOutbound().body().get("ContactId").asText();
    Answer created = createParticipant(contact,
        "{\"ParticipantRole\":\"CUSTOM_BOT\",\"DisplayName\":\"Alice (SMS gateway)\"}", "join-1");
    assertThat(created.status()).isEqualTo(200);
    String participantId = created.body().get("ParticipantId").asText();
    String token = created.body().get("ParticipantCredentials").get("ParticipantToken").asText();
    assertThat(created.body().get("ParticipantCredentials").get("Expiry").asText()).isNotBlank();
    assertThat(createParticipant(contact, "{\"ParticipantRole\":\"CUSTOM_BOT\",\"DisplayName\":\"Alice\"}",
        "join-1").body().get("ParticipantId").asText()).isEqualTo(participantId);
    assertThat(standIn.participantRoles(contact)).containsExactly("CUSTOMER", "CUSTOM_BOT");

    String connection = connect(token);
    assertThat(send(connection, "Any questions?", "m-1").status()).isEqualTo(200);
    standIn.customerSays(contact, "When does it arrive?");
    assertThat(standIn.smsToCustomer(contact)).containsExactly("Your order shipped", "Any questions?");
    assertThat(standIn.customerMessages(contact)).containsExactly("When does it arrive?");
    assertThat(standIn.transcript(contact)).filteredOn(ChatItem::isMessage).extracting(ChatItem::participantId)
        .contains(participantId);
    assertThat(standIn.violations()).isEmpty();
  }

  @Test
  @DisplayName("CreateParticipant refusals: the reference's model (unknown role, long name, missing details) 400"
      + " InvalidParameterException; another role or no DisplayName in a chat, an ended or unknown contact")
  void createParticipantRefusals() throws Exception {
    String contact = startOutbound().body().get("ContactId").asText();
    assertThat(createParticipant(contact, "{\"ParticipantRole\":\"ROBOT\",\"DisplayName\":\"x\"}", null)
        .errorType()).isEqualTo("InvalidParameterException");
    assertThat(createParticipant(contact, "{\"ParticipantRole\":\"CUSTOM_BOT\",\"DisplayName\":\""
        + "x".repeat(257) + "\"}", null).errorType()).isEqualTo("InvalidParameterException");
    assertThat(call("POST", "/contact/create-participant", "{\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\""
        + contact + "\"}", null, true).errorType()).isEqualTo("InvalidParameterException");
    assertThat(standIn.violations()).anySatisfy(v -> assertThat(v).contains("is not one of"))
        .anySatisfy(v -> assertThat(v).contains("DisplayName length above the maximum 256"))
        .anySatisfy(v -> assertThat(v).contains("ParticipantDetails is required"));

    Answer agent = createParticipant(contact, "{\"ParticipantRole\":\"AGENT\",\"DisplayName\":\"x\"}", null);
    assertThat(agent.status()).isEqualTo(400);
    assertThat(agent.errorType()).isEqualTo("InvalidRequestException");
    assertThat(createParticipant(contact, "{\"ParticipantRole\":\"CUSTOM_BOT\"}", null).errorType())
        .isEqualTo("InvalidRequestException");
    assertThat(createParticipant("no-such-contact", "{\"ParticipantRole\":\"CUSTOM_BOT\",\"DisplayName\":\"x\"}",
        null).status()).isEqualTo(404);
    standIn.agentEnds(contact);
    assertThat(createParticipant(contact, "{\"ParticipantRole\":\"CUSTOM_BOT\",\"DisplayName\":\"x\"}", null)
        .errorType()).isEqualTo("InvalidRequestException");
    assertThat(standIn.participantRoles(contact)).containsExactly("CUSTOMER");
  }
}
