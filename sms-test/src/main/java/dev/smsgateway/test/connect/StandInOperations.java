package dev.smsgateway.test.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The operations of {@link AmazonConnectStandIn} on its state (requests already checked against the models). Each
 * runs under the stand-in's lock, so a contact's items and their streaming happen in one order.
 */
final class StandInOperations {

  static final List<String> OPERATIONS = List.of("StartChatContact", "StartOutboundChatContact",
      "StartContactStreaming", "StopContact", "CreateParticipant", "CreateParticipantConnection", "SendMessage", "GetTranscript",
      "DisconnectParticipant", "SendEvent");

  /** An answer: status, error type (null on success), JSON body. */
  record Answer(int status, String errorType, JsonNode body) {
    static Answer ok(JsonNode body) {
      return new Answer(200, null, body);
    }

    static Answer error(int status, String type, String message) {
      return new Answer(status, type, AmazonConnectStandIn.error(message));
    }
  }

  private record Connection(String contactId, String participantId, Instant expiresAt) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AmazonConnectStandIn s;
  /** First results by idempotency key (operation, scope, ClientToken). */
  private final Map<String, JsonNode> idempotent = new HashMap<>();
  /** Participant token to (contact id, participant id). */
  private final Map<String, String[]> participantTokens = new HashMap<>();
  private final Map<String, Connection> connections = new HashMap<>();

  StandInOperations(AmazonConnectStandIn standIn) {
    this.s = standIn;
  }

  Answer run(String operation, JsonNode in, String bearer) {
    synchronized (s.lock) {
      return switch (operation) {
        case "StartChatContact" -> startChat(in);
        case "StartOutboundChatContact" -> startOutbound(in);
        case "StartContactStreaming" -> startStreaming(in);
        case "StopContact" -> stop(in);
        case "CreateParticipant" -> createParticipant(in);
        case "CreateParticipantConnection" -> createConnection(in, bearer);
        case "SendMessage" -> sendMessage(in, bearer);
        case "GetTranscript" -> transcript(in, bearer);
        case "DisconnectParticipant" -> disconnect(in, bearer);
        case "SendEvent" -> sendEvent(in, bearer);
        default -> Answer.error(400, "InvalidRequestException", "not implemented: " + operation);
      };
    }
  }

  // ---------------------------------------------------------------------------------------------------- Connect

  private Answer checkInstanceAndFlow(JsonNode in) {
    String instanceId = in.get("InstanceId").asText();
    if (!s.instances.containsKey(instanceId)) {
      return Answer.error(404, "ResourceNotFoundException", "Instance not found: " + instanceId);
    }
    if (in.has("ContactFlowId") && !s.instances.get(instanceId).contains(in.get("ContactFlowId").asText())) {
      return Answer.error(404, "ResourceNotFoundException", "Contact flow not found: "
          + in.get("ContactFlowId").asText());
    }
    return null;
  }

  private Answer startChat(JsonNode in) {
    Answer refused = checkInstanceAndFlow(in);
    if (refused != null) {
      return refused;
    }
    String key = in.has("ClientToken") ? "chat|" + in.get("InstanceId").asText() + "|" + in.get("ClientToken").asText()
        : null;
    if (key != null && idempotent.containsKey(key)) {
      return Answer.ok(idempotent.get(key));
    }
    StandInContact c = newContact(in, "API");
    String participantId = UUID.randomUUID().toString();
    String token = "ptoken-" + UUID.randomUUID();
    String displayName = in.get("ParticipantDetails").get("DisplayName").asText();
    c.participants.put(participantId, new StandInContact.Participant(participantId, "CUSTOMER", displayName, token));
    participantTokens.put(token, new String[] {c.id, participantId});
    add(c, "EVENT", ChatItem.JOINED, null, participantId, displayName, "CUSTOMER");
    if (in.has("InitialMessage")) {
      add(c, "MESSAGE", in.get("InitialMessage").get("ContentType").asText(),
          in.get("InitialMessage").get("Content").asText(), participantId, displayName, "CUSTOMER");
    }
    ObjectNode out = JSON.createObjectNode().put("ContactId", c.id).put("ParticipantId", participantId)
        .put("ParticipantToken", token);
    if (key != null) {
      idempotent.put(key, out);
    }
    return Answer.ok(out);
  }

  private Answer startOutbound(JsonNode in) {
    Answer refused = checkInstanceAndFlow(in);
    if (refused != null) {
      return refused;
    }
    String key = in.has("ClientToken") ? "outbound|" + in.get("InstanceId").asText() + "|"
        + in.get("ClientToken").asText() : null;
    if (key != null && idempotent.containsKey(key)) {
      return Answer.ok(idempotent.get(key));
    }
    StandInContact c = newContact(in, "OUTBOUND");
    // The customer is reached by SMS at the destination number: a participant without a token of its own.
    String customerId = UUID.randomUUID().toString();
    c.participants.put(customerId, new StandInContact.Participant(customerId, "CUSTOMER", "Customer", null));
    add(c, "EVENT", ChatItem.JOINED, null, customerId, "Customer", "CUSTOMER");
    if (in.has("InitialSystemMessage")) {
      add(c, "MESSAGE", in.get("InitialSystemMessage").get("ContentType").asText(),
          in.get("InitialSystemMessage").get("Content").asText(), null, "SYSTEM_MESSAGE", "SYSTEM");
    }
    ObjectNode out = JSON.createObjectNode().put("ContactId", c.id);
    if (key != null) {
      idempotent.put(key, out);
    }
    return Answer.ok(out);
  }

  /**
   * CreateParticipant, as AWS's API reference documents it for chat contacts: the contact must be an active chat of
   * the instance (404 ResourceNotFoundException, 400 InvalidRequestException when it ended); the only role a chat
   * takes is CUSTOM_BOT, and DisplayName is required (400 InvalidRequestException otherwise); capabilities are for
   * WebRTC calls. The participant joins the chat and gets a participant token for CreateParticipantConnection.
   */
  private Answer createParticipant(JsonNode in) {
    Answer refused = checkInstanceAndFlow(in);
    if (refused != null) {
      return refused;
    }
    String key = in.has("ClientToken") ? "participant|" + in.get("InstanceId").asText() + "|"
        + in.get("ClientToken").asText() : null;
    if (key != null && idempotent.containsKey(key)) {
      return Answer.ok(idempotent.get(key));
    }
    StandInContact c = s.contacts.get(in.get("ContactId").asText());
    if (c == null || !c.instanceId.equals(in.get("InstanceId").asText())) {
      return Answer.error(404, "ResourceNotFoundException", "Contact not found");
    }
    expireIfDue(c);
    if (c.ended()) {
      return Answer.error(400, "InvalidRequestException", "Contact is not active");
    }
    JsonNode details = in.get("ParticipantDetails");
    if (!"CUSTOM_BOT".equals(details.path("ParticipantRole").asText(null))) {
      return Answer.error(400, "InvalidRequestException", "ParticipantRole must be CUSTOM_BOT for a chat contact");
    }
    if (!details.has("DisplayName")) {
      return Answer.error(400, "InvalidRequestException", "ParticipantDetails.DisplayName is required");
    }
    if (details.has("ParticipantCapabilities")) {
      return Answer.error(400, "InvalidRequestException", "ParticipantCapabilities apply to WebRTC calls, not chats");
    }
    String participantId = UUID.randomUUID().toString();
    String token = "ptoken-" + UUID.randomUUID();
    String displayName = details.get("DisplayName").asText();
    c.participants.put(participantId, new StandInContact.Participant(participantId, "CUSTOM_BOT", displayName,
        token));
    participantTokens.put(token, new String[] {c.id, participantId});
    add(c, "EVENT", ChatItem.JOINED, null, participantId, displayName, "CUSTOM_BOT");
    ObjectNode out = JSON.createObjectNode().put("ParticipantId", participantId);
    out.putObject("ParticipantCredentials").put("ParticipantToken", token)
        .put("Expiry", SnsTestSigner.SNS_TIME.format(c.expiresAt));
    if (key != null) {
      idempotent.put(key, out);
    }
    return Answer.ok(out);
  }

  private StandInContact newContact(JsonNode in, String initiation) {
    Map<String, String> attributes = new LinkedHashMap<>();
    in.path("Attributes").fields().forEachRemaining(f -> attributes.put(f.getKey(), f.getValue().asText()));
    Instant now = s.clock.instant();
    int minutes = in.path("ChatDurationInMinutes").asInt(25 * 60);
    StandInContact c = new StandInContact(UUID.randomUUID().toString(), in.get("InstanceId").asText(),
        in.get("ContactFlowId").asText(), initiation, attributes, now, now.plusSeconds(minutes * 60L),
        in.path("RelatedContactId").asText(null));
    s.contacts.put(c.id, c);
    return c;
  }

  private Answer startStreaming(JsonNode in) {
    Answer refused = checkInstanceAndFlow(in);
    if (refused != null) {
      return refused;
    }
    String key = "streaming|" + in.get("InstanceId").asText() + "|" + in.get("ClientToken").asText();
    if (idempotent.containsKey(key)) {
      return Answer.ok(idempotent.get(key));
    }
    StandInContact c = s.contacts.get(in.get("ContactId").asText());
    if (c == null || !c.instanceId.equals(in.get("InstanceId").asText())) {
      return Answer.error(404, "ResourceNotFoundException", "Contact not found");
    }
    expireIfDue(c);
    if (c.ended()) {
      return Answer.error(400, "InvalidRequestException", "Contact is not active");
    }
    String topic = in.get("ChatStreamingConfiguration").get("StreamingEndpointArn").asText();
    if (!s.streaming.hasTopic(topic)) {
      return Answer.error(400, "InvalidParameterException", "Streaming endpoint not found: " + topic);
    }
    if (!c.streamingTopics.contains(topic)) {
      c.streamingTopics.add(topic);
    }
    ObjectNode out = JSON.createObjectNode().put("StreamingId", UUID.randomUUID().toString());
    idempotent.put(key, out);
    return Answer.ok(out);
  }

  private Answer stop(JsonNode in) {
    Answer refused = checkInstanceAndFlow(in);
    if (refused != null) {
      return refused;
    }
    StandInContact c = s.contacts.get(in.get("ContactId").asText());
    if (c == null || !c.instanceId.equals(in.get("InstanceId").asText())) {
      return Answer.error(404, "ResourceNotFoundException", "Contact not found");
    }
    expireIfDue(c);
    if (c.ended()) {
      return Answer.error(400, "ContactNotFoundException", "Contact is not active");
    }
    end(c);
    return Answer.ok(JSON.createObjectNode());
  }

  // ---------------------------------------------------------------------------------------------------- Participant

  private Answer createConnection(JsonNode in, String participantToken) {
    String[] who = participantTokens.get(participantToken);
    if (who == null) {
      return Answer.error(403, "AccessDeniedException", "Invalid participant token");
    }
    StandInContact c = s.contacts.get(who[0]);
    expireIfDue(c);
    if (c.ended()) {
      return Answer.error(403, "AccessDeniedException", "The chat has ended");
    }
    boolean credentials = false;
    boolean websocket = false;
    for (JsonNode t : in.path("Type")) {
      credentials |= t.asText().equals("CONNECTION_CREDENTIALS");
      websocket |= t.asText().equals("WEBSOCKET");
    }
    if (!credentials && !websocket) {
      return Answer.error(400, "ValidationException", "Type must name CONNECTION_CREDENTIALS or WEBSOCKET");
    }
    Instant expiry = s.clock.instant().plus(s.connectionTtl);
    ObjectNode out = JSON.createObjectNode();
    if (credentials) {
      String token = "ctoken-" + UUID.randomUUID();
      connections.put(token, new Connection(c.id, who[1], expiry));
      out.putObject("ConnectionCredentials").put("ConnectionToken", token)
          .put("Expiry", SnsTestSigner.SNS_TIME.format(expiry));
    }
    if (websocket) {
      out.putObject("Websocket").put("Url", "wss://standin.invalid/connect/" + c.id)
          .put("ConnectionExpiry", SnsTestSigner.SNS_TIME.format(expiry));
    }
    return Answer.ok(out);
  }

  /** The connection's contact, or an answer refusing it. */
  private Object connection(String token, boolean endedAllowed) {
    Connection conn = connections.get(token);
    if (conn == null) {
      return Answer.error(403, "AccessDeniedException", "Invalid connection token");
    }
    if (!s.clock.instant().isBefore(conn.expiresAt())) {
      return Answer.error(403, "AccessDeniedException", "The connection token has expired");
    }
    StandInContact c = s.contacts.get(conn.contactId());
    expireIfDue(c);
    if (c.ended() && !endedAllowed) {
      return Answer.error(403, "AccessDeniedException", "The chat has ended");
    }
    return new Object[] {c, c.participants.get(conn.participantId())};
  }

  private Answer sendMessage(JsonNode in, String token) {
    Object found = connection(token, false);
    if (found instanceof Answer a) {
      return a;
    }
    StandInContact c = (StandInContact) ((Object[]) found)[0];
    StandInContact.Participant p = (StandInContact.Participant) ((Object[]) found)[1];
    String key = in.has("ClientToken") ? "message|" + c.id + "|" + p.id + "|" + in.get("ClientToken").asText() : null;
    if (key != null && idempotent.containsKey(key)) {
      return Answer.ok(idempotent.get(key));
    }
    ChatItem item = add(c, "MESSAGE", in.get("ContentType").asText(), in.get("Content").asText(), p.id,
        p.displayName, p.role);
    ObjectNode out = JSON.createObjectNode().put("Id", item.id())
        .put("AbsoluteTime", SnsTestSigner.SNS_TIME.format(item.absoluteTime()));
    if (key != null) {
      idempotent.put(key, out);
    }
    return Answer.ok(out);
  }

  private Answer sendEvent(JsonNode in, String token) {
    Object found = connection(token, false);
    if (found instanceof Answer a) {
      return a;
    }
    StandInContact c = (StandInContact) ((Object[]) found)[0];
    StandInContact.Participant p = (StandInContact.Participant) ((Object[]) found)[1];
    ChatItem item = add(c, "EVENT", in.get("ContentType").asText(), in.path("Content").asText(null), p.id,
        p.displayName, p.role);
    return Answer.ok(JSON.createObjectNode().put("Id", item.id())
        .put("AbsoluteTime", SnsTestSigner.SNS_TIME.format(item.absoluteTime())));
  }

  private Answer disconnect(JsonNode in, String token) {
    Object found = connection(token, false);
    if (found instanceof Answer a) {
      return a;
    }
    StandInContact c = (StandInContact) ((Object[]) found)[0];
    StandInContact.Participant p = (StandInContact.Participant) ((Object[]) found)[1];
    p.left = true;
    add(c, "EVENT", ChatItem.LEFT, null, p.id, p.displayName, p.role);
    if ("CUSTOMER".equals(p.role)) {
      end(c);
    }
    return Answer.ok(JSON.createObjectNode());
  }

  private Answer transcript(JsonNode in, String token) {
    Object found = connection(token, true);
    if (found instanceof Answer a) {
      return a;
    }
    StandInContact c = (StandInContact) ((Object[]) found)[0];
    if (in.has("ContactId") && !in.get("ContactId").asText().equals(c.id)) {
      return Answer.error(403, "AccessDeniedException", "Not a contact of this participant");
    }
    boolean forward = "FORWARD".equals(in.path("ScanDirection").asText("BACKWARD"));
    boolean ascending = "ASCENDING".equals(in.path("SortOrder").asText("ASCENDING"));
    int max = in.path("MaxResults").asInt(15);
    List<ChatItem> items = c.items;
    int start;
    if (in.has("NextToken")) {
      start = Integer.parseInt(in.get("NextToken").asText().substring("page-".length()));
    } else if (in.path("StartPosition").has("Id")) {
      start = c.indexOf(in.get("StartPosition").get("Id").asText());
      if (start < 0) {
        return Answer.error(400, "ValidationException", "StartPosition.Id is not an item of this chat");
      }
    } else if (in.path("StartPosition").has("MostRecent")) {
      start = Math.max(0, items.size() - 1 - in.get("StartPosition").get("MostRecent").asInt());
    } else {
      start = forward ? 0 : items.size() - 1;
    }
    List<ChatItem> page = new java.util.ArrayList<>();
    int i = start;
    while (page.size() < max && i >= 0 && i < items.size()) {
      page.add(items.get(i));
      i += forward ? 1 : -1;
    }
    page.sort(java.util.Comparator.comparingInt(items::indexOf));
    if (!ascending) {
      java.util.Collections.reverse(page);
    }
    ObjectNode out = JSON.createObjectNode().put("InitialContactId", c.id);
    ArrayNode list = out.putArray("Transcript");
    for (ChatItem item : page) {
      ObjectNode o = list.addObject().put("AbsoluteTime", SnsTestSigner.SNS_TIME.format(item.absoluteTime()))
          .put("ContentType", item.contentType()).put("Id", item.id()).put("Type", item.type());
      if (item.content() != null) {
        o.put("Content", item.content());
      }
      if (item.participantId() != null) {
        o.put("ParticipantId", item.participantId());
      }
      if (item.displayName() != null) {
        o.put("DisplayName", item.displayName());
      }
      if (item.participantRole() != null) {
        o.put("ParticipantRole", item.participantRole());
      }
    }
    if (i >= 0 && i < items.size()) {
      out.put("NextToken", "page-" + i);
    }
    return Answer.ok(out);
  }

  void clear() {
    idempotent.clear();
    participantTokens.clear();
    connections.clear();
  }

  // ---------------------------------------------------------------------------------------------------- the agent side

  StandInContact require(String contactId) {
    StandInContact c = s.contacts.get(contactId);
    if (c == null) {
      throw new IllegalArgumentException("no contact " + contactId);
    }
    return c;
  }

  String join(String contactId, String role, String displayName) {
    synchronized (s.lock) {
      StandInContact c = active(contactId);
      String id = UUID.randomUUID().toString();
      c.participants.put(id, new StandInContact.Participant(id, role, displayName, null));
      add(c, "EVENT", ChatItem.JOINED, null, id, displayName, role);
      return id;
    }
  }

  String say(String contactId, String role, String text) {
    synchronized (s.lock) {
      StandInContact c = active(contactId);
      StandInContact.Participant p = c.byRole(role).orElse(null);
      if (p == null) {
        String display = role.equals("AGENT") ? "Agent" : "SYSTEM_MESSAGE";
        if (role.equals("AGENT")) {
          join(contactId, role, display);
          p = c.byRole(role).orElseThrow();
        } else {
          return add(c, "MESSAGE", "text/plain", text, null, display, role).id();
        }
      }
      return add(c, "MESSAGE", "text/plain", text, p.id, p.displayName, role).id();
    }
  }

  /** The customer of an outbound SMS chat replies by SMS (Amazon Connect receives it on its number). */
  String customerSays(String contactId, String text) {
    synchronized (s.lock) {
      StandInContact c = active(contactId);
      if (!"OUTBOUND".equals(c.initiationMethod)) {
        throw new IllegalStateException("contact " + contactId + " is not an outbound SMS chat: its customer writes"
            + " through the application's own participant");
      }
      StandInContact.Participant p = c.byRole("CUSTOMER").orElseThrow();
      return add(c, "MESSAGE", "text/plain", text, p.id, p.displayName, "CUSTOMER").id();
    }
  }

  void leave(String contactId, String role) {
    synchronized (s.lock) {
      StandInContact c = active(contactId);
      StandInContact.Participant p = c.byRole(role).orElseThrow(() ->
          new IllegalStateException("no " + role + " in contact " + contactId));
      p.left = true;
      add(c, "EVENT", ChatItem.LEFT, null, p.id, p.displayName, role);
    }
  }

  void endChat(String contactId, String role) {
    synchronized (s.lock) {
      StandInContact c = active(contactId);
      c.byRole(role).ifPresent(p -> {
        p.left = true;
        add(c, "EVENT", ChatItem.LEFT, null, p.id, p.displayName, role);
      });
      end(c);
    }
  }

  private StandInContact active(String contactId) {
    StandInContact c = require(contactId);
    expireIfDue(c);
    if (c.ended()) {
      throw new IllegalStateException("contact " + contactId + " has ended");
    }
    return c;
  }

  void expireConnections() {
    synchronized (s.lock) {
      Instant now = s.clock.instant();
      connections.replaceAll((k, v) -> new Connection(v.contactId(), v.participantId(), now));
    }
  }

  /** Ends a chat whose ChatDurationInMinutes passed. */
  void expireIfDue(StandInContact c) {
    if (!c.ended() && !s.clock.instant().isBefore(c.expiresAt)) {
      end(c);
    }
  }

  private void end(StandInContact c) {
    add(c, "EVENT", ChatItem.ENDED, null, null, null, "SYSTEM");
    c.endedAt = s.clock.instant();
  }

  private ChatItem add(StandInContact c, String type, String contentType, String content, String participantId,
      String displayName, String role) {
    ChatItem item = new ChatItem(UUID.randomUUID().toString(), s.clock.instant(), type, contentType, content,
        participantId, displayName, role);
    c.items.add(item);
    for (String topic : c.streamingTopics) {
      s.streaming.publish(topic, c, item);
    }
    return item;
  }
}
