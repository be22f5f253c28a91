// Longer than the ~600 lines a file should hold, on purpose (about 990): the entry's transcript fields are guarded by
// the chunk set's monitor and the chunk set rewrites them when it compacts, so the two nested classes (Entry,
// TranscriptChunks) share private state that a split would have to open to the whole package. What does not share
// that state lives apart (InMemoryChatLinks, and the open and id indexes' tables: LongKeyTable, IdTable).
package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;

/**
 * A {@link ConversationStore} in memory, for one process. Conversations carry their own times; the clock only decides
 * when an ended conversation's retention is over.
 *
 * <p>Layout, chosen for the router's path (find the open conversation, touch it, append a line) and for what a
 * garbage collector has to copy. Each conversation id has one entry. The open conversations are indexed per business
 * number key by the customer's E.164 digits as a {@code long} (unique and reversible: at most 15 digits, no leading
 * zero), in an open-addressing table whose slots are the entries themselves ({@link LongKeyTable}): a lookup builds
 * no key, and reads the slot and the entry, with no map node between them; an opening allocates no node either, and
 * growing the table copies references only. An update that only moves the last
 * activity time (what a router does on every message) writes two numbers into the entry, which holds the
 * conversation's fields itself (reads build the {@link Conversation}). Transcript lines are encoded into byte
 * chunks shared by many conversations (up to 256 KiB each), each line pointing back to the conversation's previous
 * one: an append allocates no object that outlives it, and a line costs its strings plus about 24 bytes. A young
 * collection therefore has nothing to copy for a message that joins an open conversation; a store that kept a
 * record, a node and the message's strings per line made young collections the largest part of a routing decision.
 * One line is kept as appended instead: a whisper that opens a transcript (the agent's original message, which a
 * router appends when an originator record opens the conversation), since its strings are the originator record's own
 * and encoding them would read that record's message id from memory no router had touched yet.
 * {@link #transcript} decodes the lines again; they come back equal to what was appended.
 *
 * <p>Ended conversations stay findable by id, with their transcripts, for the retention given to
 * {@link #InMemoryConversationStore(Clock, Duration)}, counted from their {@code endedAt}: from the clock's
 * {@code endedAt + retention} on, {@link #find} and {@link #transcript} answer as if they never existed, and the
 * store drops them with their chat links, at the latest on the next opening or by {@link #purgeEnded()}. Their transcript bytes are
 * reclaimed when a chunk set holds more dropped bytes than live ones (at least 64 KiB): its live transcripts are then
 * copied into fresh chunks. The other constructors keep ended conversations for ever.
 *
 * <p>Thread-safe: {@link #openIfAbsent} is atomic per (customer, business number); {@link #update} checks and sets
 * the version under the entry's monitor (a re-opening also under the open index's lock, as {@link #openIfAbsent}
 * takes it), which keeps "at most one open conversation per customer and business number" and "exactly one of
 * several updates from the same version wins" exact; appends to one transcript are
 * serialized on its chunk set (one of {@value #CHUNK_SETS}, chosen by the conversation id).
 */
public final class InMemoryConversationStore implements ConversationStore {

  private static final Comparator<Conversation> OLDEST_FIRST =
      Comparator.comparing(Conversation::openedAt).thenComparing(Conversation::id);
  private static final Comparator<Conversation> IDLE_FIRST =
      Comparator.comparing(Conversation::lastActivityAt).thenComparing(Conversation::id);
  private static final int CHUNK_SETS = 8;
  /** Ended conversations are kept for ever. */
  private static final Duration FOREVER = null;

  /** Every conversation id ever opened, and ids that only have transcript lines. */
  private final IdTable<Entry> byId = new IdTable<>();
  /** Business number key to (customer digits to the entry of the open conversation). */
  private final ConcurrentHashMap<String, LongKeyTable<Entry>> openByBusiness = new ConcurrentHashMap<>();
  /**
   * The entry this thread last found, opened or updated: a router appends to the conversation it just looked at, and
   * this saves that append the id lookup (a string hash and two cache misses in a large store).
   */
  private final ThreadLocal<Entry> recent = new ThreadLocal<>();
  private final TranscriptChunks[] chunks = new TranscriptChunks[CHUNK_SETS];
  private final Clock clock;
  /** How long ended conversations are kept; null: for ever. */
  private final Duration retention;
  /** Ended conversations waiting for their retention to pass, in the order they ended; unused without retention. */
  private final ConcurrentLinkedQueue<Entry> ended = new ConcurrentLinkedQueue<>();

  /** An empty store that keeps ended conversations for ever. */
  public InMemoryConversationStore() {
    this(Clock.systemUTC(), FOREVER);
  }

  /** An empty store that keeps ended conversations for ever; {@code clock} is not consulted. */
  public InMemoryConversationStore(Clock clock) {
    this(clock, FOREVER);
  }

  /**
   * An empty store that drops an ended conversation and its transcript once {@code clock} reaches its
   * {@code endedAt} plus {@code retention}.
   *
   * @param retention how long an ended conversation stays findable; {@code null} keeps it for ever
   * @throws IllegalArgumentException if {@code retention} is negative
   */
  public InMemoryConversationStore(Clock clock, Duration retention) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    if (retention != null && retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    }
    this.retention = retention;
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = new TranscriptChunks();
    }
  }

  private TranscriptChunks chunksFor(String id) {
    int h = id.hashCode();
    return chunks[(h ^ (h >>> 16)) & (CHUNK_SETS - 1)];
  }

  @Override
  public Conversation openIfAbsent(Conversation candidate) {
    Objects.requireNonNull(candidate, "candidate == null");
    if (!candidate.isOpen()) {
      throw new IllegalArgumentException("candidate must be open");
    }
    if (retention != null && !ended.isEmpty()) {
      evictDue(clock.instant(), false);
    }
    LongKeyTable<Entry> open = openByBusiness.get(candidate.business().key());
    if (open == null) {
      open = openByBusiness.computeIfAbsent(candidate.business().key(), k -> new LongKeyTable<>());
    }
    long customer = CustomerDigits.of(candidate.customer());
    Entry existing = open.get(customer);
    if (existing != null) {
      Conversation c = existing.current(candidate.customer());
      if (c != null && c.isOpen()) {
        recent.set(existing);
        return c;
      }
    }
    Entry fresh = new Entry(candidate.id(), customer, candidate, chunksFor(candidate.id()));
    // Atomic per pair: the business number's index is locked while the id is claimed.
    Entry winner;
    synchronized (open) {
      Entry current = open.get(customer);
      if (current != null && current.isOpen()) {
        winner = current;
      } else {
        claimId(fresh);
        open.put(fresh);
        winner = fresh;
      }
    }
    recent.set(winner);
    return winner == fresh ? candidate : winner.current(candidate.customer());
  }

  /** Stores {@code fresh} under its id, adopting lines appended before it opened; fails if the id is taken. */
  private void claimId(Entry fresh) {
    Entry previous = byId.putIfAbsent(fresh);
    if (previous == null) {
      return;
    }
    if (previous.isConversation()) {
      throw new IllegalArgumentException("conversation id already used: " + fresh.id);
    }
    // Lines were appended to this id before the conversation existed: keep them, and send later appends there.
    fresh.lines.adopt(previous, fresh);
    byId.put(fresh);
  }

  @Override
  public boolean update(Conversation updated) {
    Objects.requireNonNull(updated, "updated == null");
    // A router updates the conversation it has just found: the same id object as the entry this thread saw last.
    Entry seen = recent.get();
    Entry entry = seen;
    if (entry == null || entry.id != updated.id()) {
      entry = openEntry(updated.customer(), updated.business());
      if (entry == null || !entry.id.equals(updated.id())) {
        entry = byId.get(updated.id());
      }
    }
    if (entry == null) {
      return false;
    }
    if (updated.isOpen() && !entry.isOpen()) {
      return reopen(entry, updated);
    }
    if (!entry.replace(updated)) {
      return false;
    }
    if (seen != entry) {
      recent.set(entry);
    }
    if (!updated.isOpen()) {
      LongKeyTable<Entry> open = openByBusiness.get(updated.business().key());
      if (open != null) {
        open.removeExactly(entry);
      }
      if (retention != null && updated.endedAt() != null && entry.markQueued()) {
        ended.add(entry);
      }
    }
    return true;
  }

  /**
   * An ended conversation opens again ({@code updated}): only while no other conversation is open for its customer
   * and business number (the open index's lock, as {@link #openIfAbsent} takes it), and then it is their open one.
   */
  private boolean reopen(Entry entry, Conversation updated) {
    LongKeyTable<Entry> open = openByBusiness.computeIfAbsent(updated.business().key(), k -> new LongKeyTable<>());
    synchronized (open) {
      Entry current = open.get(entry.key);
      if (current != null && current != entry && current.isOpen()) {
        return false;
      }
      if (!entry.replace(updated)) {
        return false;
      }
      open.put(entry);
    }
    entry.unmarkQueued(); // ended again later, it goes back in the queue (the queue skips it while it is open)
    recent.set(entry);
    return true;
  }

  /**
   * Drops every ended conversation whose retention is over at the clock's time, with its transcript. Stores made
   * without a retention drop nothing.
   *
   * @return how many conversations were dropped
   */
  public int purgeEnded() {
    return retention == null ? 0 : evictDue(clock.instant(), true);
  }

  // ---- compliance retention (begin) ----
  /**
   * Drops every conversation that ended before {@code cutoff}, with its transcript, whatever retention the store was
   * built with (the compliance engine's retention calls this). Open conversations are kept.
   *
   * @return how many conversations were dropped
   */
  public int purgeEndedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    int dropped = 0;
    for (Entry e : byId.values()) {
      Conversation c = e.current();
      if (c != null && !c.isOpen() && c.endedAt() != null && c.endedAt().isBefore(cutoff) && byId.remove(e)) {
        e.lines.evict(e, this);
        dropChatLink(e.id);
        dropped++;
      }
    }
    return dropped;
  }
  // ---- compliance retention (end) ----

  /** Whether {@code c} is an ended conversation whose retention is over at {@code now}. */
  private boolean expired(Conversation c, Instant now) {
    return retention != null && c.endedAt() != null && !now.isBefore(c.endedAt().plus(retention));
  }

  /**
   * Drops the ended conversations that are due at {@code now}: from the head of the queue while they are due, or, if
   * {@code all}, every due one in the queue (one that ended with an earlier {@code endedAt} after a later one waits
   * behind it otherwise; reads hide it in the meantime).
   */
  private int evictDue(Instant now, boolean all) {
    int evicted = 0;
    for (Iterator<Entry> it = ended.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      Conversation c = e.current();
      if (c == null || c.isOpen()) {
        it.remove(); // already dropped, or reopened under the same id by a newer version
        continue;
      }
      if (!expired(c, now)) {
        if (all) {
          continue;
        }
        break;
      }
      it.remove();
      if (byId.remove(e)) {
        e.lines.evict(e, this);
        dropChatLink(e.id);
        evicted++;
      }
    }
    return evicted;
  }

  @Override
  public Optional<Conversation> find(String id) {
    Objects.requireNonNull(id, "id == null");
    Entry entry = byId.get(id);
    Conversation c = entry == null ? null : entry.current();
    return c == null || expired(c, retention == null ? Instant.MIN : clock.instant()) ? Optional.empty()
        : Optional.of(c);
  }

  @Override
  public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Entry entry = openEntry(customer, business);
    Conversation c = entry == null ? null : entry.current(customer);
    if (c == null || !c.isOpen()) {
      return Optional.empty();
    }
    if (recent.get() != entry) {
      recent.set(entry);
    }
    return Optional.of(c);
  }

  private Entry openEntry(PhoneNumber customer, Originator business) {
    LongKeyTable<Entry> open = openByBusiness.get(business.key());
    return open == null ? null : open.get(CustomerDigits.of(customer));
  }

  /**
   * One lookup in the open index and no object built: the entry's id and target go to {@code join} as they are
   * stored, the touch writes two numbers and the version into the entry, and the line is encoded straight into the
   * transcript chunks. {@code join} runs outside the entry's monitor; the touch applies only if the entry's version
   * is still the one {@code join} saw, else it looks again.
   */
  @Override
  public <R> R joinOpen(PhoneNumber customer, Originator business, Instant activityAt, Instant lineAt,
      TranscriptEntry.Direction direction, String author, String text, String messageId,
      BiFunction<? super String, ? super RouteTarget, ? extends R> join) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Objects.requireNonNull(activityAt, "activityAt == null");
    Objects.requireNonNull(lineAt, "lineAt == null");
    Objects.requireNonNull(direction, "direction == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(join, "join == null");
    Entry entry = openEntry(customer, business);
    while (entry != null) {
      // Read without the monitor: the version first (acquire), then the fields it was published with. A read that
      // races a change sees a version the touch below no longer matches, and looks again; an ended one goes the full
      // way (null), which decides under the monitor.
      long version = entry.publishedVersion();
      Conversation.State state = entry.state;
      RouteTarget target = entry.target;
      if (state == null || state == Conversation.State.ENDED) {
        return null;
      }
      R joined = join.apply(entry.id, target);
      if (joined == null) {
        return null;
      }
      if (entry.touch(version, activityAt)) {
        if (!entry.lines.append(entry, lineAt, direction, author, text, messageId)) {
          append(new TranscriptEntry(entry.id, lineAt, direction, author, text, messageId));
        }
        return joined;
      }
      entry = openEntry(customer, business);
    }
    return null;
  }

  @Override
  public List<Conversation> findOpenByTarget(RouteTarget target) {
    Objects.requireNonNull(target, "target == null");
    List<Conversation> found = new ArrayList<>();
    for (Entry e : byId.values()) {
      Conversation c = e.current();
      if (c != null && c.isOpen() && c.target().equals(target)) {
        found.add(c);
      }
    }
    found.sort(OLDEST_FIRST);
    return found;
  }

  @Override
  public List<Conversation> findIdle(Instant cutoff, int limit) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    if (limit < 0) {
      throw new IllegalArgumentException("limit < 0: " + limit);
    }
    List<Conversation> found = new ArrayList<>();
    for (Entry e : byId.values()) {
      Conversation c = e.current();
      if (c != null && c.isOpen() && c.lastActivityAt().isBefore(cutoff)) {
        found.add(c);
      }
    }
    found.sort(IDLE_FIRST);
    return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
  }

  @Override
  public void append(TranscriptEntry line) {
    Objects.requireNonNull(line, "entry == null");
    Entry entry = recent.get();
    // Same id object (the conversation's own id, as routers pass it): no lookup. Any other string: look it up.
    if (entry == null || entry.id != line.conversationId()) {
      entry = byId.get(line.conversationId());
    }
    if (entry == null) {
      entry = byId.computeIfAbsent(line.conversationId(), id -> new Entry(id, -1, null, chunksFor(id)));
    }
    while (!entry.lines.append(entry, line)) {
      // The entry was dropped (its conversation's retention is over) after this thread saw it: the line is kept
      // under its id as lines without a conversation, as for an id no conversation has.
      entry = byId.computeIfAbsent(line.conversationId(), id -> new Entry(id, -1, null, chunksFor(id)));
    }
  }

  // Chat links: kept apart (few, small, and not on the router's path).
  private final InMemoryChatLinks chatLinks = new InMemoryChatLinks();

  @Override
  public boolean putChatLink(ChatLink link) {
    return chatLinks.put(link);
  }

  /** Drops the chat link of a conversation the store dropped (its contact no longer finds it either). */
  private void dropChatLink(String conversationId) {
    chatLinks.drop(conversationId);
  }

  @Override
  public Optional<ChatLink> findChatLink(String conversationId) {
    return chatLinks.find(conversationId);
  }

  @Override
  public Optional<ChatLink> findChatLinkByContact(String contactId) {
    return chatLinks.findByContact(contactId);
  }

  @Override
  public List<TranscriptEntry> transcript(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Entry entry = byId.get(conversationId);
    if (entry == null) {
      return List.of();
    }
    if (retention != null) {
      Conversation c = entry.current();
      if (c != null && expired(c, clock.instant())) {
        return List.of();
      }
    }
    return entry.lines.read(entry);
  }

  /**
   * Reads the transcripts of every conversation held until one has the message: linear in the store's size. One JVM
   * finds its own sent messages without it (the conversation service links them as it sends); this serves several
   * services sharing one in-memory store.
   */
  @Override
  public Optional<String> findConversationOfMessage(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    for (Entry entry : byId.values()) {
      String id = entry.id;
      for (TranscriptEntry e : transcript(id)) {
        if (e.direction() == TranscriptEntry.Direction.OUTBOUND && messageId.equals(e.messageId())) {
          return Optional.of(id);
        }
      }
    }
    return Optional.empty();
  }

  /** How many times a chunk set copied its live transcripts to reclaim dropped ones (for tests). */
  int compactions() {
    int n = 0;
    for (TranscriptChunks set : chunks) {
      n += set.compactions();
    }
    return n;
  }

  /** The entries whose transcripts are in {@code set}, for its compaction. */
  private List<Entry> entriesOf(TranscriptChunks set) {
    List<Entry> found = new ArrayList<>();
    for (Entry e : byId.values()) {
      if (e.lines == set) {
        found.add(e);
      }
    }
    return found;
  }

  @Override
  public String toString() {
    int conversations = 0;
    for (Entry e : byId.values()) {
      if (e.isConversation()) {
        conversations++;
      }
    }
    int open = 0;
    for (LongKeyTable<Entry> m : openByBusiness.values()) {
      open += m.size();
    }
    return "InMemoryConversationStore{conversations=" + conversations + ", open=" + open + "}";
  }

  /**
   * One conversation id: the current conversation (none while the id only has transcript lines) and where its
   * transcript lines are. Is its own slot in the open index. Thread-safe: the conversation fields are written
   * under the entry's monitor, the version last with release semantics ({@link #joinOpen} reads state and target
   * after it without the monitor); the transcript fields are guarded by its {@link TranscriptChunks}.
   */
  private static final class Entry extends IndexEntry {
    final TranscriptChunks lines;
    // The conversation's fields, guarded by the entry's monitor; state is null while the id only has lines. Held
    // here rather than as a Conversation object so that a read needs no second object and a touch writes two numbers.
    private Originator business;
    private String mappingCode;
    private Conversation.State state;
    private RouteTarget target;
    private Instant openedAt;
    private Instant endedAt;
    private Conversation.EndReason endReason;
    private long version;
    private long activitySeconds;
    /**
     * The last activity's nanosecond of the second, and in bit 31 ({@link #QUEUED}) whether the entry was put in the
     * queue of ended conversations: one int for both keeps the entry at 104 bytes with {@link #whisper}.
     */
    private int activityNanos;
    private static final int QUEUED = 0x80000000;
    /** The address of the newest line, guarded by {@link #lines}. */
    long lastLine = TranscriptChunks.NO_LINE;
    /** The number of lines, guarded by {@link #lines}. */
    int lineCount;
    /**
     * The first line as appended, when it is a whisper (then it is not in the chunks; the other lines are), else
     * null. Guarded by {@link #lines}.
     */
    TranscriptEntry whisper;
    /** Set when a conversation opened with this (lines-only) id: later appends go there. Guarded by {@link #lines}. */
    Entry adoptedBy;
    /** The bytes of this entry's lines; -1 once the entry was dropped. Guarded by {@link #lines}. */
    int lineBytes;

    private static final VarHandle VERSION;

    static {
      try {
        VERSION = MethodHandles.lookup().findVarHandle(Entry.class, "version", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    Entry(String id, long customer, Conversation conversation, TranscriptChunks lines) {
      super(customer, id);
      this.lines = lines;
      if (conversation != null) {
        set(conversation);
      }
    }

    /**
     * Takes {@code c}'s fields. References are written only when they change: an update that only touches the
     * conversation writes no reference into this (long-lived) entry, which a young collection would have to scan.
     */
    private void set(Conversation c) {
      if (business != c.business()) {
        business = c.business();
      }
      if (mappingCode != c.mappingCode()) {
        mappingCode = c.mappingCode();
      }
      if (state != c.state()) {
        state = c.state();
      }
      if (target != c.target()) {
        target = c.target();
      }
      if (openedAt != c.openedAt()) {
        openedAt = c.openedAt();
      }
      if (endedAt != c.endedAt()) {
        endedAt = c.endedAt();
      }
      if (endReason != c.endReason()) {
        endReason = c.endReason();
      }
      VERSION.setRelease(this, c.version()); // after the fields above: see publishedVersion
      activitySeconds = c.lastActivityAt().getEpochSecond();
      activityNanos = c.lastActivityAt().getNano() | (activityNanos & QUEUED);
    }

    /** The current conversation, or null while the id only has lines. */
    Conversation current() {
      return current(null);
    }

    /**
     * The current conversation, or null while the id only has lines; {@code customer}, when given, is the number this
     * entry was found by (equal to its own by construction), else the number is rebuilt from the digits. The entry
     * keeps no number object: the digits identify the customer.
     */
    synchronized Conversation current(PhoneNumber customer) {
      if (state == null) {
        return null;
      }
      PhoneNumber number = customer != null ? customer : PhoneNumber.of("+" + key);
      return new Conversation(id, number, business, mappingCode, state, target, openedAt,
          Instant.ofEpochSecond(activitySeconds, activityNanos & ~QUEUED), endedAt, endReason, version);
    }

    /** True the first time only: the entry goes into the queue of ended conversations once. */
    synchronized boolean markQueued() {
      boolean first = (activityNanos & QUEUED) == 0;
      activityNanos |= QUEUED;
      return first;
    }

    synchronized void unmarkQueued() {
      activityNanos &= ~QUEUED;
    }

    synchronized boolean isConversation() {
      return state != null;
    }

    synchronized boolean isOpen() {
      return state != null && state != Conversation.State.ENDED;
    }

    /**
     * Moves the last activity to {@code at} (unless it is later already) as the next version, if the conversation is
     * open and still at {@code version}.
     */
    synchronized boolean touch(long version, Instant at) {
      if (state == null || state == Conversation.State.ENDED || this.version != version) {
        return false;
      }
      long seconds = at.getEpochSecond();
      int nanos = at.getNano();
      if (seconds > activitySeconds || (seconds == activitySeconds && nanos > (activityNanos & ~QUEUED))) {
        activitySeconds = seconds;
        activityNanos = nanos | (activityNanos & QUEUED);
      }
      VERSION.setRelease(this, version + 1);
      return true;
    }

    /**
     * The version, read with acquire semantics: every field a change wrote before releasing this version (state,
     * target and the rest) is visible to a thread that reads them after this, without the monitor. Versions only grow,
     * so a thread that then acts on the version under the monitor (a touch) knows whether what it read is current.
     */
    long publishedVersion() {
      return (long) VERSION.getAcquire(this);
    }

    /** Stores {@code updated} if it follows the current version. */
    synchronized boolean replace(Conversation updated) {
      if (state == null || version != updated.version() - 1) {
        return false;
      }
      set(updated);
      return true;
    }
  }

  /**
   * Transcript lines of many conversations, encoded one after the other into byte chunks that only grow. A line is
   * its previous line's address, its time, direction, author, text and message id; strings are stored as Latin-1
   * bytes when every character fits, else as UTF-16 code units, so any string comes back exactly. An address is the
   * chunk index (high 32 bits) and the offset in it. Chunks start at 1 KiB and double up to 256 KiB, so a small store
     * stays small, and no chunk is large enough for G1 to allocate it as a humongous object (from 512 KiB with the
   * smallest regions), which would waste most of a region and start concurrent cycles. Thread-safe: all access is
   * guarded by the instance's monitor.
   */
  private static final class TranscriptChunks {
    static final long NO_LINE = -1;
    private static final int FIRST_CHUNK = 1 << 10;
    private static final int MAX_CHUNK = 1 << 18;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final TranscriptEntry.Direction[] DIRECTIONS = TranscriptEntry.Direction.values();

    private byte[][] chunks = new byte[4][];
    private int chunkCount;
    private byte[] chunk;
    private int position;
    /** The size reserved by the last {@link #write}. */
    private int lastSize;

    /** Bytes of lines whose entries were dropped, and of all lines written, in the current chunks. */
    private long deadBytes;
    private long writtenBytes;
    private int compactions;

    synchronized int compactions() {
      return compactions;
    }

    /**
     * Appends {@code line} to {@code entry}'s transcript; false if the entry was dropped. A whisper that opens the
     * transcript is kept as it is, not encoded: its strings are the originator record's, which a router has only
     * referred to so far (its message id, read to be encoded, would be a cache miss on every opening), and they stay
     * shared with the record while it lives.
     */
    synchronized boolean append(Entry entry, TranscriptEntry line) {
      Entry target = entry;
      while (target.adoptedBy != null) {
        target = target.adoptedBy;
      }
      if (target.lineBytes < 0) {
        return false;
      }
      if (target.lineCount == 0 && line.direction() == TranscriptEntry.Direction.WHISPER) {
        target.whisper = line;
        target.lineCount = 1;
        return true;
      }
      appendTo(target, line.at(), line.direction(), line.author(), line.text(), line.messageId());
      return true;
    }

    /** Appends a line of these fields to {@code entry}'s transcript; false if the entry was dropped. */
    synchronized boolean append(Entry entry, Instant at, TranscriptEntry.Direction direction, String author,
        String text, String messageId) {
      Entry target = entry;
      while (target.adoptedBy != null) {
        target = target.adoptedBy;
      }
      if (target.lineBytes < 0) {
        return false;
      }
      appendTo(target, at, direction, author, text, messageId);
      return true;
    }

    private void appendTo(Entry target, Instant at, TranscriptEntry.Direction direction, String author, String text,
        String messageId) {
      target.lastLine = write(target.lastLine, at, direction, author, text, messageId);
      int size = lastSize;
      target.lineBytes += size;
      writtenBytes += size;
      target.lineCount++;
    }

    /** Moves the lines of {@code from} (same id, so same chunk set) to {@code into} and forwards later appends. */
    synchronized void adopt(Entry from, Entry into) {
      into.lastLine = from.lastLine;
      into.lineCount = from.lineCount;
      into.whisper = from.whisper;
      into.lineBytes = from.lineBytes;
      from.adoptedBy = into;
    }

    /**
     * Marks {@code entry}'s lines as dropped; copies the live transcripts of this set into fresh chunks once the
     * dropped bytes are at least 64 KiB and more than half of what the chunks hold.
     */
    synchronized void evict(Entry entry, InMemoryConversationStore store) {
      if (entry.lineBytes > 0) {
        deadBytes += entry.lineBytes;
      }
      entry.lineBytes = -1;
      entry.whisper = null;
      if (deadBytes >= 64 * 1024 && deadBytes * 2 > writtenBytes) {
        compact(store.entriesOf(this));
      }
    }

    /** Rewrites the lines of {@code entries} (and of the conversations that adopted them) into new chunks. */
    private void compact(List<Entry> entries) {
      byte[][] oldChunks = chunks;
      chunks = new byte[4][];
      chunkCount = 0;
      chunk = null;
      position = 0;
      writtenBytes = 0;
      deadBytes = 0;
      compactions++;
      java.util.Set<Entry> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Entry e : entries) {
        Entry target = e;
        while (target.adoptedBy != null) {
          target = target.adoptedBy;
        }
        if (target.lineBytes < 0 || target.lineCount == 0 || !done.add(target)) {
          continue;
        }
        List<TranscriptEntry> lines = read(oldChunks, target);
        long last = NO_LINE;
        int bytes = 0;
        for (int i = target.whisper == null ? 0 : 1; i < lines.size(); i++) {
          last = write(last, lines.get(i));
          bytes += lastSize;
        }
        target.lastLine = last;
        target.lineBytes = bytes;
        writtenBytes += bytes;
      }
    }

    synchronized List<TranscriptEntry> read(Entry entry) {
      Entry target = entry;
      while (target.adoptedBy != null) {
        target = target.adoptedBy;
      }
      return target.lineBytes < 0 ? List.of() : read(chunks, target);
    }

    private static List<TranscriptEntry> read(byte[][] chunks, Entry entry) {
      int count = entry.lineCount;
      if (count == 0) {
        return List.of();
      }
      int first = entry.whisper == null ? 0 : 1;
      long[] addresses = new long[count];
      long address = entry.lastLine;
      for (int i = count - 1; i >= first; i--) {
        addresses[i] = address;
        address = (long) LONG.get(chunks[(int) (address >>> 32)], (int) address);
      }
      TranscriptEntry[] lines = new TranscriptEntry[count];
      if (first == 1) {
        lines[0] = entry.whisper;
      }
      for (int i = first; i < count; i++) {
        lines[i] = decode(entry.id, chunks[(int) (addresses[i] >>> 32)], (int) addresses[i] + 8);
      }
      return List.of(lines);
    }

    private long write(long previous, TranscriptEntry line) {
      return write(previous, line.at(), line.direction(), line.author(), line.text(), line.messageId());
    }

    private long write(long previous, Instant at, TranscriptEntry.Direction direction, String authorText,
        String textText, String messageIdText) {
      boolean author = isLatin1(authorText);
      boolean text = isLatin1(textText);
      boolean messageId = isLatin1(messageIdText);
      int size = 8 + 8 + 4 + 1 + encodedSize(authorText, author) + encodedSize(textText, text)
          + encodedSize(messageIdText, messageId);
      lastSize = size;
      if (chunk == null || chunk.length - position < size) {
        newChunk(size);
      }
      byte[] b = chunk;
      int p = position;
      long address = ((long) (chunkCount - 1) << 32) | p;
      LONG.set(b, p, previous);
      LONG.set(b, p + 8, at.getEpochSecond());
      INT.set(b, p + 16, at.getNano());
      b[p + 20] = (byte) direction.ordinal();
      p = writeString(b, p + 21, authorText, author);
      p = writeString(b, p, textText, text);
      position = writeString(b, p, messageIdText, messageId);
      return address;
    }

    private void newChunk(int atLeast) {
      int size = chunk == null ? FIRST_CHUNK : Math.min(MAX_CHUNK, chunk.length * 2);
      chunk = new byte[Math.max(size, atLeast)];
      position = 0;
      if (chunkCount == chunks.length) {
        chunks = Arrays.copyOf(chunks, chunkCount * 2);
      }
      chunks[chunkCount++] = chunk;
    }

    private static TranscriptEntry decode(String conversationId, byte[] b, int p) {
      long seconds = (long) LONG.get(b, p);
      int nanos = (int) INT.get(b, p + 8);
      TranscriptEntry.Direction direction = DIRECTIONS[b[p + 12]];
      int[] cursor = {p + 13};
      String author = readString(b, cursor);
      String text = readString(b, cursor);
      String messageId = readString(b, cursor);
      return new TranscriptEntry(conversationId, Instant.ofEpochSecond(seconds, nanos), direction, author, text,
          messageId);
    }

    /**
     * The most a string takes: its header (0 for null, else length * 2 + wide + 1, as a varint) and its characters,
     * one byte each if {@code latin1}, else two.
     */
    private static int encodedSize(String s, boolean latin1) {
      if (s == null) {
        return 1;
      }
      int length = s.length();
      return varintSize(((long) length << 1) + 2) + (latin1 ? length : 2 * length);
    }

    /** True if every character of {@code s} fits in one byte (and for null, which has none). */
    private static boolean isLatin1(String s) {
      if (s == null) {
        return true;
      }
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0xFF) {
          return false;
        }
      }
      return true;
    }

    private static int writeString(byte[] b, int p, String s, boolean latin1) {
      if (s == null) {
        b[p] = 0;
        return p + 1;
      }
      int length = s.length();
      p = writeVarint(b, p, ((long) length << 1) + (latin1 ? 1 : 2));
      if (latin1) {
        for (int i = 0; i < length; i++) {
          b[p++] = (byte) s.charAt(i);
        }
      } else {
        for (int i = 0; i < length; i++) {
          char c = s.charAt(i);
          b[p++] = (byte) (c >>> 8);
          b[p++] = (byte) c;
        }
      }
      return p;
    }

    private static String readString(byte[] b, int[] cursor) {
      int p = cursor[0];
      long header = 0;
      int shift = 0;
      while (true) {
        byte x = b[p++];
        header |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          break;
        }
        shift += 7;
      }
      if (header == 0) {
        cursor[0] = p;
        return null;
      }
      int length = (int) ((header - 1) >>> 1);
      boolean latin1 = ((header - 1) & 1) == 0;
      String s;
      if (latin1) {
        s = new String(b, p, length, StandardCharsets.ISO_8859_1);
        p += length;
      } else {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
          chars[i] = (char) (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF));
          p += 2;
        }
        s = new String(chars);
      }
      cursor[0] = p;
      return s;
    }

    private static int varintSize(long value) {
      int size = 1;
      while ((value >>>= 7) != 0) {
        size++;
      }
      return size;
    }

    private static int writeVarint(byte[] b, int p, long value) {
      while ((value & ~0x7FL) != 0) {
        b[p++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      b[p++] = (byte) value;
      return p;
    }
  }
}
