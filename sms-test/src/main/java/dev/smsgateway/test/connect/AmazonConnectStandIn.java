package dev.smsgateway.test.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful Amazon Connect stand-in on loopback, for tests of code that runs a bring-your-own-channel chat: the
 * Amazon Connect operations {@code StartChatContact}, {@code StartOutboundChatContact}, {@code StartContactStreaming},
 * {@code StopContact}, {@code CreateParticipant}, and the Amazon Connect Participant Service operations {@code CreateParticipantConnection},
 * {@code SendMessage}, {@code GetTranscript}, {@code DisconnectParticipant}, {@code SendEvent}, on one HTTP server
 * (point both SDK clients' {@code endpointOverride} at {@link #endpoint()}).
 *
 * <p><b>Checked like AWS.</b> Every request is checked against AWS's published models of the two services (botocore
 * {@code service-2.json} files, given to {@link Builder#models}): the operation's method and path, every member's
 * place (URI, header, body), type, length, pattern, enum and range, required members, unknown members. A request
 * that breaks the model is answered 400 {@code InvalidParameterException} (what AWS's front end answers) and
 * recorded in {@link #violations()}, which a test should assert empty. {@code CreateParticipant} is not in the
 * cut-down model files: its request is checked against a model written by hand from AWS's published API reference
 * (members, types, lengths and enum values of CreateParticipant and ParticipantDetailsToAdd; the sms-test resource
 * {@code connect.create-participant.json}), and only when AWS's model file lacks the operation. Connect requests must carry a SigV4
 * {@code Authorization} header for the {@code connect} service; participant requests carry their bearer token in
 * {@code X-Amz-Bearer}.
 *
 * <p><b>State, as Amazon Connect documents it.</b> Instances and their flows are declared ({@link #instance});
 * an unknown one is 404 {@code ResourceNotFoundException}. A chat contact has a customer participant with a
 * participant token; {@code CreateParticipantConnection} with that token issues a connection token that expires
 * after {@link Builder#connectionTtl} (default 24 hours) by the stand-in's clock; an expired or unknown connection
 * token is 403 {@code AccessDeniedException}, and a new {@code CreateParticipantConnection} renews it. The same
 * {@code ClientToken} returns the first call's result and changes nothing (StartChatContact,
 * StartOutboundChatContact, StartContactStreaming, CreateParticipant, SendMessage). A chat ends when the agent ends it
 * ({@link #agentEnds}), the customer participant disconnects, {@code StopContact} is called, or its
 * {@code ChatDurationInMinutes} passes; then participant calls other than {@code GetTranscript} are 403 and
 * Connect calls on it are 400 {@code InvalidRequestException}. {@code CreateParticipant} adds a {@code CUSTOM_BOT}
 * participant (the only role the reference allows in a chat; DisplayName required) to an active chat and returns its
 * participant token, which works with {@code CreateParticipantConnection} like the customer's. An outbound SMS chat
 * ({@code StartOutboundChatContact}) has a customer participant reached by SMS: {@link #customerSays} is their
 * reply, {@link #smsToCustomer} what Amazon Connect sends them. {@code GetTranscript} pages through the items
 * (messages and events) in order; {@code StartPosition.Id} is inclusive.
 *
 * <p><b>Streaming.</b> After {@code StartContactStreaming} to a topic ARN created by {@link #subscribe}, every new
 * item of the chat is published to the topic and posted to its HTTP subscribers as an SNS Notification envelope
 * signed by {@link #signer()} (SignatureVersion 2), with Amazon Connect's streaming message as the {@code Message}
 * ({@code Id}, {@code Type}, {@code ContentType}, {@code Content}, {@code ParticipantId}, {@code DisplayName},
 * {@code ParticipantRole}, {@code AbsoluteTime}, {@code ContactId}, {@code InitialContactId}). The envelope has no
 * {@code MessageAttributes}. Deliveries go one at a time, retried when not answered 2xx.
 *
 * <p><b>Acting as the agent</b> (and as the customer of an outbound SMS chat, {@link #customerSays}): {@link #agentJoins}, {@link #agentSays}, {@link #systemSays}, {@link #agentLeaves},
 * {@link #agentEnds}. <b>Faults</b>: {@link #throttleNext}, {@link #failNext}, {@link #failAfterApplyingNext},
 * {@link #expireConnections},
 * {@link #holdStreaming}/{@link #releaseStreaming}, {@link #redeliver}.
 *
 * <p>Thread-safe. Binds 127.0.0.1 on an ephemeral port; {@link #close()} stops it.
 */
public final class AmazonConnectStandIn implements AutoCloseable {

  /** A call the stand-in received (after routing to an operation). */
  public record Call(String operation, String body, int status) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  final AwsModel connectModel;
  final AwsModel participantModel;
  final Clock clock;
  final Duration connectionTtl;
  final SnsTestSigner signer;
  final SnsStreaming streaming;
  final Object lock = new Object();
  final Map<String, Set<String>> instances = new ConcurrentHashMap<>();
  final Map<String, StandInContact> contacts = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttle = new AtomicInteger();
  private final AtomicInteger failuresAfter = new AtomicInteger();
  private volatile int failAfterStatus = 500;
  private volatile String failAfterOperation = "";
  private final AtomicInteger failures = new AtomicInteger();
  private volatile int failureStatus = 500;
  private final StandInOperations operations;

  private AmazonConnectStandIn(Builder b) throws IOException {
    this.connectModel = AwsModel.load(b.models.resolve("connect.chat.json")).supplementedBy(supplement());
    this.participantModel = AwsModel.load(b.models.resolve("connectparticipant.json"));
    this.clock = b.clock;
    this.connectionTtl = b.connectionTtl;
    this.signer = new SnsTestSigner(b.region, clock.instant());
    this.streaming = new SnsStreaming(signer, clock);
    this.operations = new StandInOperations(this);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "connect-standin-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** CreateParticipant, which AWS's cut-down model lacks: written from AWS's API reference (a resource of sms-test). */
  private static JsonNode supplement() throws IOException {
    try (InputStream in = AmazonConnectStandIn.class.getResourceAsStream("connect.create-participant.json")) {
      if (in == null) {
        throw new IOException("sms-test resource connect.create-participant.json is missing");
      }
      return JSON.readTree(in);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where AWS's models are beside a checkout: {@code ../shared/peer-data/aws/models} (or one level further up),
   * holding {@code connect.chat.json} and {@code connectparticipant.json}.
   *
   * @throws IllegalStateException when neither exists
   */
  public static Path sharedModels() {
    for (String candidate : List.of("../shared/peer-data/aws/models", "../../shared/peer-data/aws/models")) {
      Path dir = Path.of(candidate);
      if (Files.isRegularFile(dir.resolve("connect.chat.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException("AWS's Connect models are not in ../shared/peer-data/aws/models");
  }

  /** The endpoint for both SDK clients ({@code endpointOverride}). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The signer of the SNS envelopes: trust its anchor and serve its certificate to the receiver under test. */
  public SnsTestSigner signer() {
    return signer;
  }

  /** Declares an instance and its contact flows. */
  public AmazonConnectStandIn instance(String instanceId, String... contactFlowIds) {
    instances.computeIfAbsent(instanceId, k -> ConcurrentHashMap.newKeySet()).addAll(List.of(contactFlowIds));
    return this;
  }

  /** Creates the SNS topic (if new) and subscribes an HTTP(S) endpoint to it (confirmed). */
  public AmazonConnectStandIn subscribe(String topicArn, URI endpoint) {
    streaming.subscribe(Objects.requireNonNull(topicArn, "topicArn == null"),
        Objects.requireNonNull(endpoint, "endpoint == null"));
    return this;
  }

  // ---------------------------------------------------------------------------------------------------- the agent

  /** An agent joins the chat (a participant-joined event); returns the participant id. */
  public String agentJoins(String contactId, String displayName) {
    return operations.join(contactId, "AGENT", displayName);
  }

  /** The agent writes (joining first as "Agent" if no agent is in the chat); returns the item id. */
  public String agentSays(String contactId, String text) {
    return operations.say(contactId, "AGENT", text);
  }

  /** The flow writes a system message; returns the item id. */
  public String systemSays(String contactId, String text) {
    return operations.say(contactId, "SYSTEM", text);
  }

  /**
   * The customer of an outbound SMS chat (StartOutboundChatContact) replies by SMS: a CUSTOMER message in the chat, as
   * Amazon Connect receives it on its number; returns the item id.
   *
   * @throws IllegalStateException for a chat that is not an outbound SMS chat, or that ended
   */
  public String customerSays(String contactId, String text) {
    return operations.customerSays(contactId, text);
  }

  /**
   * What Amazon Connect sends the customer of an outbound SMS chat as SMS, in order: the InitialSystemMessage and
   * every message of a participant other than the customer (agents, custom bots, the flow).
   */
  public List<String> smsToCustomer(String contactId) {
    synchronized (lock) {
      StandInContact c = operations.require(contactId);
      if (!"OUTBOUND".equals(c.initiationMethod)) {
        return List.of();
      }
      return c.items.stream().filter(i -> i.isMessage() && !"CUSTOMER".equals(i.participantRole()))
          .map(ChatItem::content).toList();
    }
  }

  /** The participants of a contact by role ({@code CUSTOMER}, {@code CUSTOM_BOT}, {@code AGENT}...), in order. */
  public List<String> participantRoles(String contactId) {
    synchronized (lock) {
      return operations.require(contactId).participants.values().stream().map(p -> p.role).toList();
    }
  }

  /** The agent leaves (the chat stays, as after a transfer). */
  public void agentLeaves(String contactId) {
    operations.leave(contactId, "AGENT");
  }

  /** The agent ends the chat: participant-left, then chat-ended. */
  public void agentEnds(String contactId) {
    operations.endChat(contactId, "AGENT");
  }

  // ---------------------------------------------------------------------------------------------------- inspection

  /** The ids of the chat contacts, in no particular order. */
  public Set<String> contactIds() {
    return Set.copyOf(contacts.keySet());
  }

  /** A contact's attributes. */
  public Map<String, String> attributes(String contactId) {
    synchronized (lock) {
      return Map.copyOf(operations.require(contactId).attributes);
    }
  }

  /**
   * How long a contact's chat may last: its ChatDurationInMinutes, or Amazon Connect's default of 25 hours when the
   * request carried none.
   */
  public Duration chatDuration(String contactId) {
    synchronized (lock) {
      StandInContact c = operations.require(contactId);
      return Duration.between(c.startedAt, c.expiresAt);
    }
  }

  /** A contact's transcript so far, in order. */
  public List<ChatItem> transcript(String contactId) {
    synchronized (lock) {
      return List.copyOf(operations.require(contactId).items);
    }
  }

  /** The texts the customer participant sent into the chat, in order (the initial message first). */
  public List<String> customerMessages(String contactId) {
    return transcript(contactId).stream().filter(i -> i.isMessage() && "CUSTOMER".equals(i.participantRole()))
        .map(ChatItem::content).toList();
  }

  /** Whether the chat ended. */
  public boolean ended(String contactId) {
    synchronized (lock) {
      operations.expireIfDue(operations.require(contactId));
      return operations.require(contactId).ended();
    }
  }

  /** Every call received, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many calls of an operation were received (refused ones included). */
  public long calls(String operation) {
    return calls.stream().filter(c -> c.operation().equals(operation)).count();
  }

  /** What broke the models; a test asserts it empty. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /**
   * Forgets every contact, subscription, recorded call and violation, and clears the faults (instances stay):
   * a stand-in shared by several tests starts each one clean.
   */
  public void reset() {
    streaming.awaitQuietly();
    synchronized (lock) {
      contacts.clear();
      operations.clear();
      streaming.clear();
      calls.clear();
      violations.clear();
      throttle.set(0);
      failuresAfter.set(0);
      failures.set(0);
    }
  }

  // ---------------------------------------------------------------------------------------------------- faults

  /** The next {@code n} calls are answered 429 {@code ThrottlingException}. */
  public void throttleNext(int n) {
    throttle.set(n);
  }

  /**
   * The next {@code n} successful calls of {@code operation} (e.g. {@code SendMessage}) are carried out, then answered
   * {@code status} ({@code InternalServiceException}): a 5xx that lost the answer of a call which took effect, as a
   * caller retrying with the same ClientToken must expect. Other operations are not affected.
   */
  public void failAfterApplyingNext(String operation, int n, int status) {
    failAfterOperation = java.util.Objects.requireNonNull(operation, "operation == null");
    failAfterStatus = status;
    failuresAfter.set(n);
  }

  /** The next {@code n} calls are answered {@code status} (5xx: {@code InternalServiceException}). */
  public void failNext(int n, int status) {
    failureStatus = status;
    failures.set(n);
  }

  /** Every connection token issued so far expires now. */
  public void expireConnections() {
    operations.expireConnections();
  }

  /** Streaming deliveries are kept back until {@link #releaseStreaming}. */
  public void holdStreaming() {
    streaming.hold();
  }

  /** Sends the deliveries kept back, in publishing order or reversed. */
  public void releaseStreaming(boolean reversed) {
    streaming.release(reversed);
  }

  /** Delivers every delivered envelope again (SNS delivers at least once). */
  public void redeliverAll() {
    streaming.delivered().forEach(streaming::redeliver);
  }

  /** Delivers the {@code index}-th delivered envelope again. */
  public void redeliver(int index) {
    streaming.redeliver(streaming.delivered().get(index));
  }

  /** How many envelopes were delivered (answered 2xx). */
  public int deliveredCount() {
    return streaming.delivered().size();
  }

  /**
   * Waits until no streaming delivery is in flight.
   *
   * @throws IllegalStateException on timeout
   */
  public void awaitStreamed(Duration timeout) {
    try {
      if (!streaming.awaitIdle(timeout)) {
        throw new IllegalStateException("streaming deliveries still in flight after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
    String operation = null;
    AwsModel model = null;
    for (AwsModel m : List.of(connectModel, participantModel)) {
      for (String op : StandInOperations.OPERATIONS) {
        if (m.has(op) && m.method(op).equals(method) && m.requestUri(op).equals(path)) {
          operation = op;
          model = m;
        }
      }
    }
    if (operation == null) {
      violations.add("no operation of the stand-in is " + method + " " + path);
      answer(exchange, null, body, 404, "UnknownOperationException", error("Unknown operation " + method + " " + path));
      return;
    }
    if (model == connectModel) {
      String auth = headers.get("authorization");
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ") || !auth.contains("/connect/aws4_request")) {
        violations.add(operation + " without a SigV4 Authorization header for connect");
        answer(exchange, operation, body, 403, "AccessDeniedException", error("Missing Authentication Token"));
        return;
      }
    }
    JsonNode json;
    try {
      json = body.isEmpty() ? null : JSON.readTree(body);
    } catch (IOException e) {
      violations.add(operation + ": the body is not JSON");
      answer(exchange, operation, body, 400, "SerializationException", error("body is not JSON"));
      return;
    }
    List<String> problems = model.check(operation, json, Map.of(), headers);
    if (!problems.isEmpty()) {
      violations.addAll(problems);
      answer(exchange, operation, body, 400, "InvalidParameterException", error(String.join("; ", problems)));
      return;
    }
    if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(exchange, operation, body, 429, "ThrottlingException", error("Rate exceeded"));
      return;
    }
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      answer(exchange, operation, body, failureStatus,
          failureStatus >= 500 ? "InternalServiceException" : "InvalidRequestException", error("failing on purpose"));
      return;
    }
    StandInOperations.Answer a;
    // the call is recorded under the lock its effect is made under: a test that sees the effect (a contact ended)
    // also sees the call that made it
    synchronized (lock) {
      try {
        a = operations.run(operation, json == null ? JSON.createObjectNode() : json, headers.get("x-amz-bearer"));
      } catch (RuntimeException e) {
        a = StandInOperations.Answer.error(500, "InternalServiceException", "stand-in failure: " + e);
      }
      if (a.status() < 300 && failAfterOperation.equals(operation)
          && failuresAfter.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        a = StandInOperations.Answer.error(failAfterStatus, "InternalServiceException", "failing on purpose"
            + " after the call took effect");
      }
      calls.add(new Call(operation, body, a.status()));
    }
    respond(exchange, a.status(), a.errorType(), a.body());
  }

  static ObjectNode error(String message) {
    return JSON.createObjectNode().put("message", message);
  }

  private void answer(HttpExchange exchange, String operation, String requestBody, int status, String errorType,
      JsonNode body) throws IOException {
    calls.add(new Call(operation == null ? "?" : operation, requestBody, status));
    respond(exchange, status, errorType, body);
  }

  private void respond(HttpExchange exchange, int status, String errorType, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    if (errorType != null) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    streaming.close();
  }

  @Override
  public String toString() {
    return "AmazonConnectStandIn{" + endpoint() + ", contacts=" + contacts.size() + "}";
  }

  /** Builds {@link AmazonConnectStandIn}. Not thread-safe. */
  public static final class Builder {
    private Path models;
    private Clock clock = Clock.systemUTC();
    private Duration connectionTtl = Duration.ofHours(24);
    private String region = "us-east-1";

    private Builder() {}

    /**
     * The directory holding AWS's models {@code connect.chat.json} (Amazon Connect) and
     * {@code connectparticipant.json} (Amazon Connect Participant Service), in botocore's format. Required; see
     * {@link AmazonConnectStandIn#sharedModels()}.
     */
    public Builder models(Path directory) {
      this.models = Objects.requireNonNull(directory, "directory == null");
      return this;
    }

    /** The clock for connection expiry, chat duration and timestamps. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How long a connection token lasts. Default 24 hours. */
    public Builder connectionTtl(Duration connectionTtl) {
      this.connectionTtl = Objects.requireNonNull(connectionTtl, "connectionTtl == null");
      return this;
    }

    /** The region of the SNS topics and signing certificate URL. Default us-east-1. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region == null");
      return this;
    }

    /**
     * Starts the stand-in.
     *
     * @throws IOException if the server cannot bind
     * @throws IllegalStateException without models
     */
    public AmazonConnectStandIn start() throws IOException {
      if (models == null) {
        throw new IllegalStateException("models(directory) is required: AWS's connect.chat.json and"
            + " connectparticipant.json");
      }
      return new AmazonConnectStandIn(this);
    }
  }
}
