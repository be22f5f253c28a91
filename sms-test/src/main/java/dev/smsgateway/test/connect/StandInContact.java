package dev.smsgateway.test.connect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one chat contact in {@link AmazonConnectStandIn}: its participants, its transcript (messages and
 * events, in order), the SNS topics its chat is streamed to, and whether it ended. Guarded by the stand-in's lock.
 */
final class StandInContact {

  /** A participant of the chat. */
  static final class Participant {
    final String id;
    final String role;
    final String displayName;
    final String participantToken;
    boolean left;

    Participant(String id, String role, String displayName, String participantToken) {
      this.id = id;
      this.role = role;
      this.displayName = displayName;
      this.participantToken = participantToken;
    }
  }

  final String id;
  final String instanceId;
  final String contactFlowId;
  final String initiationMethod;
  final Map<String, String> attributes;
  final Instant startedAt;
  final Instant expiresAt;
  final String relatedContactId;
  final Map<String, Participant> participants = new LinkedHashMap<>();
  final List<ChatItem> items = new ArrayList<>();
  final List<String> streamingTopics = new ArrayList<>();
  Instant endedAt;

  StandInContact(String id, String instanceId, String contactFlowId, String initiationMethod,
      Map<String, String> attributes, Instant startedAt, Instant expiresAt, String relatedContactId) {
    this.id = id;
    this.instanceId = instanceId;
    this.contactFlowId = contactFlowId;
    this.initiationMethod = initiationMethod;
    this.attributes = new LinkedHashMap<>(attributes);
    this.startedAt = startedAt;
    this.expiresAt = expiresAt;
    this.relatedContactId = relatedContactId;
  }

  boolean ended() {
    return endedAt != null;
  }

  Optional<Participant> byRole(String role) {
    return participants.values().stream().filter(p -> p.role.equals(role) && !p.left).findFirst();
  }

  int indexOf(String itemId) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).id().equals(itemId)) {
        return i;
      }
    }
    return -1;
  }
}
