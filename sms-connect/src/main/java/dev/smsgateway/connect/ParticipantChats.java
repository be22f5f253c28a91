package dev.smsgateway.connect;

import dev.smsgateway.routing.ChatConnection;
import dev.smsgateway.routing.ChatItems;
import dev.smsgateway.store.ChatLink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.connect.model.ChatStreamingConfiguration;
import software.amazon.awssdk.services.connect.model.StartContactStreamingRequest;
import software.amazon.awssdk.services.connect.model.StopContactRequest;
import software.amazon.awssdk.services.connectparticipant.ConnectParticipantAsyncClient;
import software.amazon.awssdk.services.connectparticipant.model.ConnectionType;
import software.amazon.awssdk.services.connectparticipant.model.CreateParticipantConnectionRequest;
import software.amazon.awssdk.services.connectparticipant.model.DisconnectParticipantRequest;
import software.amazon.awssdk.services.connectparticipant.model.GetTranscriptRequest;
import software.amazon.awssdk.services.connectparticipant.model.Item;
import software.amazon.awssdk.services.connectparticipant.model.ScanDirection;
import software.amazon.awssdk.services.connectparticipant.model.SendMessageRequest;
import software.amazon.awssdk.services.connectparticipant.model.SortKey;
import software.amazon.awssdk.services.connectparticipant.model.StartPosition;

/**
 * The customer's side of one Amazon Connect chat per conversation, on the Amazon Connect Participant Service:
 * streaming the chat to the application's SNS topic (StartContactStreaming), the customer participant's connection
 * (CreateParticipantConnection with {@code ConnectParticipant}, renewed with the participant token when it expired or
 * is about to), later messages (SendMessage with a ClientToken), the chat's items for the way back (GetTranscript,
 * forward from a cursor), and the end of the customer's side (DisconnectParticipant, or StopContact).
 *
 * <p>Thread-safe.
 */
final class ParticipantChats {

  private static final Logger log = LoggerFactory.getLogger(ParticipantChats.class);
  private static final String TEXT_PLAIN = "text/plain";
  /** A connection this close to its expiry is renewed before use. */
  private static final Duration RENEW_MARGIN = Duration.ofMinutes(1);
  private static final int TRANSCRIPT_PAGE = 100;

  private final ConnectParticipantAsyncClient participant;
  private final Function<StartContactStreamingRequest, CompletableFuture<?>> startStreaming;
  private final Function<StopContactRequest, CompletableFuture<?>> stopContact;
  private final String instanceId;
  private final String topicArn;
  private final boolean forwardSystemMessages;
  private final boolean stopContactOnEnd;
  private final Clock clock;

  ParticipantChats(ConnectParticipantAsyncClient participant,
      Function<StartContactStreamingRequest, CompletableFuture<?>> startStreaming,
      Function<StopContactRequest, CompletableFuture<?>> stopContact, String instanceId, String topicArn,
      boolean forwardSystemMessages, boolean stopContactOnEnd, Clock clock) {
    this.participant = participant;
    this.startStreaming = startStreaming;
    this.stopContact = stopContact;
    this.instanceId = instanceId;
    this.topicArn = topicArn;
    this.forwardSystemMessages = forwardSystemMessages;
    this.stopContactOnEnd = stopContactOnEnd;
    this.clock = clock;
  }

  /** After StartChatContact: streaming, then the customer participant's connection. */
  CompletableFuture<ChatConnection> connect(String contactId, String participantId, String participantToken) {
    StartContactStreamingRequest streaming = StartContactStreamingRequest.builder()
        .instanceId(instanceId)
        .contactId(contactId)
        .chatStreamingConfiguration(ChatStreamingConfiguration.builder().streamingEndpointArn(topicArn).build())
        // the same contact streamed again (a redelivered SMS) starts no second stream
        .clientToken("stream:" + contactId)
        .build();
    return call("StartContactStreaming", () -> startStreaming.apply(streaming))
        .thenCompose(x -> createConnection(participantToken))
        .thenApply(c -> new ChatConnection(contactId, participantId, participantToken, c.connectionToken(),
            c.connectionExpiresAt()));
  }

  private CompletableFuture<ChatConnection> createConnection(String participantToken) {
    CreateParticipantConnectionRequest r = CreateParticipantConnectionRequest.builder()
        .participantToken(participantToken)
        .type(ConnectionType.CONNECTION_CREDENTIALS)
        .connectParticipant(true)
        .build();
    return call("CreateParticipantConnection", () -> participant.createParticipantConnection(r)).thenApply(out -> {
      String expiry = out.connectionCredentials().expiry();
      return new ChatConnection("-", null, participantToken, out.connectionCredentials().connectionToken(),
          expiry == null ? null : Instant.parse(expiry));
    });
  }

  private static ChatConnection of(ChatLink link) {
    return new ChatConnection(link.contactId(), link.participantId(), link.participantToken(),
        link.connectionToken(), link.connectionExpiresAt());
  }

  private CompletableFuture<ChatConnection> renew(ChatLink link) {
    log.info("contact {}: renewing the participant connection", link.contactId());
    return createConnection(link.participantToken()).thenApply(c -> new ChatConnection(link.contactId(),
        link.participantId(), link.participantToken(), c.connectionToken(), c.connectionExpiresAt()));
  }

  /** The link's connection, renewed first when it expired or is about to. */
  private CompletableFuture<ChatConnection> usable(ChatLink link) {
    Instant expires = link.connectionExpiresAt();
    if (expires != null && !clock.instant().plus(RENEW_MARGIN).isBefore(expires)) {
      return renew(link);
    }
    return CompletableFuture.completedFuture(of(link));
  }

  /**
   * Runs {@code op} with the link's connection; when Amazon Connect refuses the token (403: it expired early or was
   * revoked), renews it once and runs {@code op} again. Completes with the result and the connection used.
   */
  private <T> CompletableFuture<Used<T>> withConnection(ChatLink link, String operation,
      Function<ChatConnection, CompletableFuture<T>> op) {
    return usable(link).thenCompose(conn -> call(operation, () -> op.apply(conn))
        .thenApply(r -> new Used<>(r, conn))
        .exceptionallyCompose(error -> {
          if (!forbidden(error)) {
            return CompletableFuture.failedFuture(error);
          }
          return renew(link).thenCompose(fresh -> call(operation, () -> op.apply(fresh))
              .thenApply(r -> new Used<>(r, fresh)));
        }));
  }

  private record Used<T>(T result, ChatConnection connection) {}

  CompletableFuture<ChatConnection> send(ChatLink link, String text, String clientToken) {
    return withConnection(link, "SendMessage", conn -> participant.sendMessage(SendMessageRequest.builder()
        .connectionToken(conn.connectionToken())
        .contentType(TEXT_PLAIN)
        .content(text)
        .clientToken(clientToken)
        .build())).thenApply(Used::connection);
  }

  CompletableFuture<ChatItems> itemsAfter(ChatLink link, String cursor) {
    return withConnection(link, "GetTranscript", conn -> {
      GetTranscriptRequest.Builder r = GetTranscriptRequest.builder()
          .connectionToken(conn.connectionToken())
          .contactId(link.contactId())
          .scanDirection(ScanDirection.FORWARD)
          .sortOrder(SortKey.ASCENDING)
          .maxResults(TRANSCRIPT_PAGE);
      if (cursor != null) {
        r.startPosition(StartPosition.builder().id(cursor).build());
      }
      return participant.getTranscript(r.build());
    }).thenApply(used -> {
      List<ChatItems.Item> items = new ArrayList<>();
      for (Item item : used.result().transcript()) {
        if (item.id() == null || item.id().equals(cursor)) {
          continue; // StartPosition is inclusive
        }
        // What the link's own participant wrote or did (the gateway's messages) never comes back as news.
        ChatItems.Kind kind = link.participantId() != null && link.participantId().equals(item.participantId())
            ? ChatItems.Kind.OTHER : kind(item);
        items.add(new ChatItems.Item(item.id(), kind, item.participantRoleAsString(), item.displayName(),
            item.content(), item.absoluteTime() == null ? null : Instant.parse(item.absoluteTime())));
      }
      ChatConnection renewed = used.connection().connectionToken().equals(link.connectionToken()) ? null
          : used.connection();
      return new ChatItems(items, renewed);
    });
  }

  private ChatItems.Kind kind(Item item) {
    String type = item.typeAsString();
    String contentType = item.contentType() == null ? "" : item.contentType();
    if ("MESSAGE".equals(type)) {
      boolean system = "SYSTEM".equals(item.participantRoleAsString());
      return system && !forwardSystemMessages ? ChatItems.Kind.OTHER : ChatItems.Kind.MESSAGE;
    }
    if ("EVENT".equals(type)) {
      if (contentType.endsWith(".participant.joined")) {
        return ChatItems.Kind.JOINED;
      }
      if (contentType.endsWith(".participant.left")) {
        return ChatItems.Kind.LEFT;
      }
      if (contentType.endsWith(".chat.ended")) {
        return ChatItems.Kind.ENDED;
      }
    }
    return ChatItems.Kind.OTHER;
  }

  CompletableFuture<Void> end(ChatLink link) {
    if (stopContactOnEnd) {
      return call("StopContact", () -> stopContact.apply(StopContactRequest.builder().instanceId(instanceId)
          .contactId(link.contactId()).build())).thenApply(x -> null);
    }
    return withConnection(link, "DisconnectParticipant", conn -> participant.disconnectParticipant(
        DisconnectParticipantRequest.builder().connectionToken(conn.connectionToken())
            .clientToken("disconnect:" + link.contactId()).build()))
        .<Void>thenApply(x -> null)
        .exceptionally(error -> {
          if (forbidden(error)) {
            log.info("contact {}: the chat had ended already", link.contactId());
            return null;
          }
          throw error instanceof CompletionException ce ? ce : new CompletionException(error);
        });
  }

  private static boolean forbidden(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof dev.smsgateway.SmsException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e instanceof AwsServiceException ase && ase.statusCode() == 403;
  }

  /** Runs a call; its failure keeps the AWS exception as the cause of the mapped {@code SmsException}. */
  private static <T> CompletableFuture<T> call(String operation,
      java.util.function.Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> sent;
    try {
      sent = request.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ConnectErrors.map(e, operation));
    }
    return sent.handle((r, error) -> {
      if (error != null) {
        throw ConnectErrors.map(error, operation);
      }
      return r;
    });
  }
}
