package dev.smsgateway.store.dynamodb;

import static dev.smsgateway.store.dynamodb.Table.n;
import static dev.smsgateway.store.dynamodb.Table.s;

import dev.smsgateway.store.AgentOffer;
import dev.smsgateway.store.AgentRecord;
import dev.smsgateway.store.AgentStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link AgentStore} on DynamoDB. Every agent is one item of partition {@code agents} (sort key
 * {@code agent#<id>}), holding capacity, queues, presence, idle time, {@code held} (how many slots) and {@code slots}
 * (a map conversation id to claim time); every offer is one item of partition {@code offers} (sort key
 * {@code offer#<conversation id>}). One partition each, so that reading every agent (to pick the longest idle) and
 * every offer (to find lapsed ones) is one strongly consistent query; a contact center's agents and pending offers fit
 * in it easily.
 *
 * <p>Atomic across gateways by condition expressions on the agent's item: a claim is an update
 * {@code SET held = held + 1, slots.<conversation> = <at>} under the condition
 * {@code presence = AVAILABLE AND held < capacity AND attribute_not_exists(slots.<conversation>)}, so the last free
 * slot goes to exactly one caller; the loser tries the next agent. A lapsed offer is taken by moving its deadline under
 * the condition that it is still the one read; a lapsed presence lease (attribute {@code presenceUntil}) by setting
 * the agent offline and removing it under the same kind of condition.
 *
 * <p>Thread-safe.
 */
final class DynamoDbAgentStore implements AgentStore {

  private static final String AGENTS = "agents";
  private static final String AGENT = "agent#";
  private static final String OFFERS = "offers";
  private static final String OFFER = "offer#";
  /** The agent item's presence lease (nanoseconds); absent for an agent never renewed. */
  private static final String PRESENCE_UNTIL = "presenceUntil";

  private static final Map<String, String> NAMES = Map.of("#id", "agentId", "#cap", "capacity", "#q", "queues",
      "#p", "presence", "#idle", "idleSince", "#held", "held", "#slots", "slots");

  private final Table table;

  DynamoDbAgentStore(Table table) {
    this.table = table;
  }

  private static Map<String, String> names(String... extra) {
    Map<String, String> names = new HashMap<>(NAMES);
    for (int i = 0; i < extra.length; i += 2) {
      names.put(extra[i], extra[i + 1]);
    }
    return names;
  }

  @Override
  public AgentRecord register(String agentId, int capacity, Set<String> queues, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(queues, "queues == null");
    Objects.requireNonNull(now, "now == null");
    List<AttributeValue> queueList = new TreeSet<>(queues).stream().map(Table::s).toList();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":id", s(agentId));
    values.put(":cap", n(capacity));
    values.put(":q", AttributeValue.fromL(queueList));
    values.put(":offline", s(AgentRecord.OFFLINE));
    values.put(":now", n(Table.nanos(now)));
    values.put(":zero", n(0));
    values.put(":empty", AttributeValue.fromM(Map.of()));
    Map<String, AttributeValue> item = table.call("agent register", () -> table.client.updateItem(
        UpdateItemRequest.builder().tableName(table.name).key(Table.key(AGENTS, AGENT + agentId))
            .updateExpression("SET #id = :id, #cap = :cap, #q = :q, #p = if_not_exists(#p, :offline),"
                + " #idle = if_not_exists(#idle, :now), #held = if_not_exists(#held, :zero),"
                + " #slots = if_not_exists(#slots, :empty)")
            .expressionAttributeNames(NAMES).expressionAttributeValues(values)
            .returnValues(ReturnValue.ALL_NEW).build())).attributes();
    return agent(item);
  }

  @Override
  public Optional<AgentRecord> find(String agentId) {
    Objects.requireNonNull(agentId, "agentId == null");
    Map<String, AttributeValue> item = table.get("agent find", AGENTS, AGENT + agentId);
    return item == null ? Optional.empty() : Optional.of(agent(item));
  }

  @Override
  public List<AgentRecord> agents() {
    List<AgentRecord> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : partition("agent list", AGENTS)) {
      out.add(agent(item));
    }
    out.sort(Comparator.comparing(AgentRecord::agentId));
    return out;
  }

  private List<Map<String, AttributeValue>> partition(String operation, String pk) {
    return table.call(operation, () -> table.client.queryPaginator(QueryRequest.builder().tableName(table.name)
        .consistentRead(true).keyConditionExpression("#pk = :pk")
        .expressionAttributeNames(Map.of("#pk", Table.PK)).expressionAttributeValues(Map.of(":pk", s(pk)))
        .build()).items().stream().toList());
  }

  @Override
  public Optional<String> setPresence(String agentId, String presence, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    boolean available = AgentRecord.AVAILABLE.equals(presence);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":p", s(presence));
    if (available) {
      values.put(":now", n(Table.nanos(now)));
    }
    try {
      // Becoming available (from another presence) starts the idle time; the condition tells the two apart.
      Map<String, AttributeValue> old = table.call("agent presence", () -> table.client.updateItem(
          UpdateItemRequest.builder().tableName(table.name).key(Table.key(AGENTS, AGENT + agentId))
              .updateExpression(available ? "SET #p = :p, #idle = :now" : "SET #p = :p")
              .conditionExpression(available ? "attribute_exists(#id) AND #p <> :p" : "attribute_exists(#id)")
              .expressionAttributeNames(available ? Map.of("#p", "presence", "#idle", "idleSince", "#id", "agentId")
                  : Map.of("#p", "presence", "#id", "agentId"))
              .expressionAttributeValues(values).returnValues(ReturnValue.UPDATED_OLD).build())).attributes();
      return Optional.of(old.get("presence").s());
    } catch (ConditionalCheckFailedException e) {
      // Not registered, or (becoming available) available already.
      return find(agentId).map(AgentRecord::presence);
    }
  }

  @Override
  public void touch(String agentId, Instant now) {
    Objects.requireNonNull(agentId, "agentId == null");
    try {
      table.call("agent touch", () -> table.client.updateItem(UpdateItemRequest.builder().tableName(table.name)
          .key(Table.key(AGENTS, AGENT + agentId)).updateExpression("SET #idle = :now")
          .conditionExpression("attribute_exists(#id)")
          .expressionAttributeNames(Map.of("#idle", "idleSince", "#id", "agentId"))
          .expressionAttributeValues(Map.of(":now", n(Table.nanos(now)))).build()));
    } catch (ConditionalCheckFailedException notRegistered) {
      // nothing to touch
    }
  }

  @Override
  public Optional<String> claim(String queue, String conversationId, Collection<String> excluded, Instant at) {
    Objects.requireNonNull(queue, "queue == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(excluded, "excluded == null");
    List<AgentRecord> candidates = new ArrayList<>();
    for (Map<String, AttributeValue> item : partition("agent list", AGENTS)) {
      AgentRecord a = agent(item);
      if (a.canTakeMore() && a.queues().contains(queue) && !excluded.contains(a.agentId())
          && !a.slots().containsKey(conversationId)
          && (!item.containsKey(PRESENCE_UNTIL) || Table.number(item, PRESENCE_UNTIL) > Table.nanos(at))) {
        candidates.add(a);
      }
    }
    candidates.sort(Comparator.comparing(AgentRecord::idleSince).thenComparing(AgentRecord::agentId));
    for (AgentRecord a : candidates) {
      try {
        // Checked again by DynamoDB itself: of two claims for the last slot, the second fails its condition.
        table.call("agent claim", () -> table.client.updateItem(UpdateItemRequest.builder().tableName(table.name)
            .key(Table.key(AGENTS, AGENT + a.agentId()))
            .updateExpression("SET #held = #held + :one, #slots.#c = :at")
            .conditionExpression("#p = :available AND #held < #cap AND attribute_not_exists(#slots.#c)"
                + " AND (attribute_not_exists(#pu) OR #pu > :at)")
            .expressionAttributeNames(Map.of("#held", "held", "#slots", "slots", "#c", conversationId,
                "#p", "presence", "#cap", "capacity", "#pu", PRESENCE_UNTIL))
            .expressionAttributeValues(Map.of(":one", n(1), ":at", n(Table.nanos(at)),
                ":available", s(AgentRecord.AVAILABLE)))
            .build()));
        return Optional.of(a.agentId());
      } catch (ConditionalCheckFailedException taken) {
        // Someone else took their last slot (or they went away) since the read: the next agent.
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean hold(String agentId, String conversationId, Instant at) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    try {
      table.call("agent hold", () -> table.client.updateItem(UpdateItemRequest.builder().tableName(table.name)
          .key(Table.key(AGENTS, AGENT + agentId))
          .updateExpression("SET #held = #held + :one, #slots.#c = :at")
          .conditionExpression("attribute_exists(#id) AND attribute_not_exists(#slots.#c)")
          .expressionAttributeNames(Map.of("#held", "held", "#slots", "slots", "#c", conversationId,
              "#id", "agentId"))
          .expressionAttributeValues(Map.of(":one", n(1), ":at", n(Table.nanos(at)))).build()));
      return true;
    } catch (ConditionalCheckFailedException heldOrUnknown) {
      return false;
    }
  }

  @Override
  public boolean release(String agentId, String conversationId) {
    return releaseIf(agentId, conversationId, null);
  }

  @Override
  public boolean releaseIfClaimedAt(String agentId, String conversationId, Instant claimedAt) {
    return releaseIf(agentId, conversationId, Objects.requireNonNull(claimedAt, "claimedAt == null"));
  }

  private boolean releaseIf(String agentId, String conversationId, Instant claimedAt) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":one", n(1));
    if (claimedAt != null) {
      values.put(":at", n(Table.nanos(claimedAt)));
    }
    try {
      table.call("agent release", () -> table.client.updateItem(UpdateItemRequest.builder().tableName(table.name)
          .key(Table.key(AGENTS, AGENT + agentId))
          .updateExpression("REMOVE #slots.#c SET #held = #held - :one")
          .conditionExpression(claimedAt == null ? "attribute_exists(#slots.#c)" : "#slots.#c = :at")
          .expressionAttributeNames(Map.of("#held", "held", "#slots", "slots", "#c", conversationId))
          .expressionAttributeValues(values).build()));
      return true;
    } catch (ConditionalCheckFailedException notHeld) {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------- offers

  @Override
  public void offer(AgentOffer offer) {
    Objects.requireNonNull(offer, "offer == null");
    Map<String, AttributeValue> item = new HashMap<>(Table.key(OFFERS, OFFER + offer.conversationId()));
    item.put("conversationId", s(offer.conversationId()));
    item.put("agentId", s(offer.agentId()));
    item.put("deadline", n(Table.nanos(offer.deadline())));
    table.call("agent offer", () -> table.client.putItem(PutItemRequest.builder().tableName(table.name).item(item)
        .build()));
  }

  @Override
  public boolean withdrawOffer(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Map<String, AttributeValue> old = table.call("agent offer withdraw", () -> table.client.deleteItem(
        DeleteItemRequest.builder().tableName(table.name).key(Table.key(OFFERS, OFFER + conversationId))
            .returnValues(ReturnValue.ALL_OLD).build())).attributes();
    return old != null && !old.isEmpty();
  }

  @Override
  public Optional<AgentOffer> findOffer(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Map<String, AttributeValue> item = table.get("agent offer find", OFFERS, OFFER + conversationId);
    return item == null ? Optional.empty() : Optional.of(offer(item));
  }

  @Override
  public List<AgentOffer> takeDueOffers(Instant now, Duration lease, int limit) {
    Objects.requireNonNull(now, "now == null");
    Objects.requireNonNull(lease, "lease == null");
    List<AgentOffer> due = new ArrayList<>();
    for (Map<String, AttributeValue> item : partition("agent offers due", OFFERS)) {
      AgentOffer o = offer(item);
      if (!o.deadline().isAfter(now)) {
        due.add(o);
      }
    }
    due.sort(Comparator.comparing(AgentOffer::deadline).thenComparing(AgentOffer::conversationId));
    List<AgentOffer> taken = new ArrayList<>();
    for (AgentOffer o : due) {
      if (taken.size() == limit) {
        break;
      }
      try {
        table.call("agent offer take", () -> table.client.updateItem(UpdateItemRequest.builder()
            .tableName(table.name).key(Table.key(OFFERS, OFFER + o.conversationId()))
            .updateExpression("SET #d = :lease").conditionExpression("#d = :old")
            .expressionAttributeNames(Map.of("#d", "deadline"))
            .expressionAttributeValues(Map.of(":lease", n(Table.nanos(now.plus(lease))),
                ":old", n(Table.nanos(o.deadline())))).build()));
        taken.add(o);
      } catch (ConditionalCheckFailedException takenElsewhere) {
        // another instance took (or withdrew) it first
      }
    }
    return taken;
  }

  // ---------------------------------------------------------------------------------------------------- presence leases

  @Override
  public boolean renewPresence(String agentId, Instant until) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(until, "until == null");
    try {
      table.call("agent presence renew", () -> table.client.updateItem(UpdateItemRequest.builder()
          .tableName(table.name).key(Table.key(AGENTS, AGENT + agentId)).updateExpression("SET #pu = :until")
          .conditionExpression("attribute_exists(#id)")
          .expressionAttributeNames(Map.of("#pu", PRESENCE_UNTIL, "#id", "agentId"))
          .expressionAttributeValues(Map.of(":until", n(Table.nanos(until)))).build()));
      return true;
    } catch (ConditionalCheckFailedException notRegistered) {
      return false;
    }
  }

  @Override
  public Optional<Instant> presenceLease(String agentId) {
    Objects.requireNonNull(agentId, "agentId == null");
    Map<String, AttributeValue> item = table.get("agent presence lease", AGENTS, AGENT + agentId);
    return item == null || !item.containsKey(PRESENCE_UNTIL) ? Optional.empty()
        : Optional.of(Table.instant(item, PRESENCE_UNTIL));
  }

  @Override
  public List<String> takeLapsedAgents(Instant now, int limit) {
    Objects.requireNonNull(now, "now == null");
    List<Map.Entry<String, Long>> lapsed = new ArrayList<>();
    for (Map<String, AttributeValue> item : partition("agent presence lapsed", AGENTS)) {
      if (item.containsKey(PRESENCE_UNTIL) && Table.number(item, PRESENCE_UNTIL) <= Table.nanos(now)) {
        lapsed.add(Map.entry(item.get("agentId").s(), Table.number(item, PRESENCE_UNTIL)));
      }
    }
    lapsed.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<String> taken = new ArrayList<>();
    for (Map.Entry<String, Long> e : lapsed) {
      if (taken.size() == limit) {
        break;
      }
      try {
        // Only the lease that was read: of two sweeps, the second fails; a renewal since the read keeps the agent.
        table.call("agent presence take", () -> table.client.updateItem(UpdateItemRequest.builder()
            .tableName(table.name).key(Table.key(AGENTS, AGENT + e.getKey()))
            .updateExpression("SET #p = :offline REMOVE #pu").conditionExpression("#pu = :old")
            .expressionAttributeNames(Map.of("#p", "presence", "#pu", PRESENCE_UNTIL))
            .expressionAttributeValues(Map.of(":offline", s(AgentRecord.OFFLINE), ":old", n(e.getValue())))
            .build()));
        taken.add(e.getKey());
      } catch (ConditionalCheckFailedException takenElsewhere) {
        // another instance took it first, or the lease was renewed
      }
    }
    return taken;
  }

  private static AgentOffer offer(Map<String, AttributeValue> item) {
    return new AgentOffer(item.get("conversationId").s(), item.get("agentId").s(), Table.instant(item, "deadline"));
  }

  private static AgentRecord agent(Map<String, AttributeValue> item) {
    Set<String> queues = new TreeSet<>();
    for (AttributeValue q : item.get("queues").l()) {
      queues.add(q.s());
    }
    Map<String, Instant> slots = new LinkedHashMap<>();
    AttributeValue held = item.get("slots");
    if (held != null && held.m() != null) {
      held.m().forEach((conversation, at) -> slots.put(conversation, Table.fromNanos(Long.parseLong(at.n()))));
    }
    return new AgentRecord(item.get("agentId").s(), (int) Table.number(item, "capacity"), queues,
        item.get("presence").s(), Table.instant(item, "idleSince"), slots);
  }

  @Override
  public String toString() {
    return "DynamoDbAgentStore{table=" + table.name + "}";
  }
}
