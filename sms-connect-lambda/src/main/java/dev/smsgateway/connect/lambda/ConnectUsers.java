package dev.smsgateway.connect.lambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.DescribeUserRequest;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;
import software.amazon.awssdk.services.connect.model.SearchUsersRequest;
import software.amazon.awssdk.services.connect.model.StringComparisonType;
import software.amazon.awssdk.services.connect.model.StringCondition;
import software.amazon.awssdk.services.connect.model.User;
import software.amazon.awssdk.services.connect.model.UserSearchCriteria;
import software.amazon.awssdk.services.connect.model.UserSearchSummary;

/**
 * Resolves the agent an originator record names to the Amazon Connect user behind it (id and ARN, the ARN being
 * what "Set working queue" by agent takes). An agent given as a user id, or as an agent ARN, is read with
 * {@code DescribeUser}; an agent given as a user name with {@code SearchUsers} on {@code Username} (exact match).
 * Answers, found or not, are cached for a time to live per container; failures of the call are not cached.
 *
 * <p>Thread-safe. Two concurrent misses for one agent may both call Connect; both get the same answer.
 */
final class ConnectUsers {

  /** A Connect user. */
  record Agent(String id, String arn, String username) {}

  // Connect user ids are UUIDs (API_User.html: Id); anything else is a user name.
  private static final Pattern USER_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
      + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final int MAX_ENTRIES = 10_000;

  private record Cached(Optional<Agent> agent, Instant expiresAt) {}

  private final ConnectClient client;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  ConnectUsers(ConnectClient client, Clock clock, Duration ttl) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.clock = clock;
    this.ttl = ttl;
  }

  /**
   * The user behind {@code agent} (a user name, a user id or an agent ARN) in instance {@code instanceId}; empty
   * when Connect has no such user.
   *
   * @throws software.amazon.awssdk.core.exception.SdkException when Connect could not be asked
   */
  Optional<Agent> resolve(String instanceId, String agent) {
    String key = instanceId + '/' + agent;
    Instant now = clock.instant();
    Cached hit = cache.get(key);
    if (hit != null && now.isBefore(hit.expiresAt())) {
      return hit.agent();
    }
    Optional<Agent> found = lookUp(instanceId, agent);
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(key, new Cached(found, now.plus(ttl)));
    return found;
  }

  private Optional<Agent> lookUp(String instanceId, String agent) {
    String id = agent;
    int slash = agent.lastIndexOf("/agent/");
    if (agent.startsWith("arn:") && slash > 0) {
      id = agent.substring(slash + "/agent/".length());
    }
    if (USER_ID.matcher(id).matches()) {
      try {
        User user = client.describeUser(DescribeUserRequest.builder().instanceId(instanceId).userId(id).build())
            .user();
        return user == null ? Optional.empty() : Optional.of(new Agent(user.id(), user.arn(), user.username()));
      } catch (ResourceNotFoundException e) {
        return Optional.empty();
      }
    }
    List<UserSearchSummary> users = client.searchUsers(SearchUsersRequest.builder().instanceId(instanceId)
        .maxResults(2)
        .searchCriteria(UserSearchCriteria.builder().stringCondition(StringCondition.builder()
            .fieldName("Username").comparisonType(StringComparisonType.EXACT).value(agent).build()).build())
        .build()).users();
    // Connect user names are unique per instance and compared without case (AgentUsername).
    return users.stream().filter(u -> agent.equalsIgnoreCase(u.username())).findFirst()
        .map(u -> new Agent(u.id(), u.arn(), u.username()));
  }
}
