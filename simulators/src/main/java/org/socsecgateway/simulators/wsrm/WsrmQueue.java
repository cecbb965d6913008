package org.socsecgateway.simulators.wsrm;

import org.socsecgateway.simulators.wsb.WsbMessages;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The queues and sequences of the fake DFDG WSRM service (thread-safe; one lock). A queue per subscriber
 * ({@code <OrganisationTypeIdentifier>:<OrganisationCode>}, e.g. {@code 8:123}) holds messages of several services in
 * enqueue order. A message is either queued, in flight (taken into an open sequence) or deleted (its sequence was
 * terminated correctly). Closing a sequence, or its expiry, puts its messages back in their old places.
 * Expired sequences are swept on every call and every inspection (no timers: tests move the {@link Clock}).
 */
public final class WsrmQueue {

    private static final Pattern SUBSCRIBER = Pattern.compile("[0-9]{1,3}:[^\\s:]{1,20}");
    private static final ZoneId DENMARK = ZoneId.of("Europe/Copenhagen");
    /** Generated EventDates fall in the 60 days from here, in random order. */
    private static final ZonedDateTime EVENTS_FROM = ZonedDateTime.of(2025, 3, 1, 0, 0, 0, 0, DENMARK);

    private final Clock clock;
    private final Duration expiry;
    private final int maxInventory;
    private final int maxPerGet;
    private final boolean acknowledgements;

    private final Map<String, TreeMap<Long, QueuedMessage>> queues = new TreeMap<>();
    private final Map<String, Sequence> sequences = new LinkedHashMap<>();
    private final List<QueuedMessage> enqueued = new ArrayList<>();
    private final Set<String> deleted = new LinkedHashSet<>();
    private final Map<String, Integer> deliveryAttempts = new HashMap<>();
    private long nextPosition = 1;

    WsrmQueue(Clock clock, Duration expiry, int maxInventory, int maxPerGet, boolean acknowledgements) {
        this.clock = clock;
        this.expiry = expiry;
        this.maxInventory = maxInventory;
        this.maxPerGet = maxPerGet;
        this.acknowledgements = acknowledgements;
    }

    // ---------------------------------------------------------------- test data

    /**
     * Enqueues {@code count} messages of one service for {@code subscriber}, about a pool of {@code citizens}
     * synthetic CPR numbers, reproducible from {@code seed} (but with fresh MessageIdentifiers).
     *
     * @return the messages enqueued, in queue order
     */
    public List<QueuedMessage> enqueue(String subscriber, MessageService service, int count, int citizens, long seed) {
        return fill(new WsrmLoad(subscriber, count, List.of(service), citizens, seed));
    }

    /** Enqueues a load: each message of a service drawn at random from the load's services. */
    public synchronized List<QueuedMessage> fill(WsrmLoad load) {
        Random random = new Random(load.seed());
        List<String> citizens = new ArrayList<>(load.citizens());
        for (int i = 0; i < load.citizens(); i++) {
            citizens.add(WsbMessages.randomCpr(random));
        }
        TreeMap<Long, QueuedMessage> queue = queues.computeIfAbsent(load.subscriber(), s -> new TreeMap<>());
        List<QueuedMessage> added = new ArrayList<>(load.count());
        for (int i = 0; i < load.count(); i++) {
            MessageService service = load.services().get(random.nextInt(load.services().size()));
            OffsetDateTime eventDate = EVENTS_FROM.plusSeconds(random.nextInt(60 * 24 * 3600)).toOffsetDateTime();
            String cpr = service.concernsCitizen() ? citizens.get(random.nextInt(citizens.size())) : null;
            QueuedMessage message = new QueuedMessage(UUID.randomUUID().toString(), service, load.subscriber(),
                    eventDate, nextPosition++, cpr, new UUID(random.nextLong(), random.nextLong()).toString(),
                    1 + random.nextInt(999), eventDate.toLocalDate().plusDays(random.nextInt(30)));
            queue.put(message.position(), message);
            added.add(message);
        }
        enqueued.addAll(added);
        return added;
    }

    // ---------------------------------------------------------------- inspection

    /** Messages waiting in every queue (not in flight). */
    public synchronized int queued() {
        sweep();
        return queues.values().stream().mapToInt(Map::size).sum();
    }

    /** Messages of one service waiting in every queue. */
    public synchronized int queued(MessageService service) {
        sweep();
        return (int) queues.values().stream().flatMap(q -> q.values().stream())
                .filter(m -> m.service() == service).count();
    }

    /** Messages waiting in one subscriber's queue. */
    public synchronized int queued(String subscriber) {
        sweep();
        TreeMap<Long, QueuedMessage> queue = queues.get(subscriber);
        return queue == null ? 0 : queue.size();
    }

    /** Waiting messages per subscriber and service name. */
    public synchronized Map<String, Map<String, Integer>> queuedBySubscriber() {
        sweep();
        Map<String, Map<String, Integer>> result = new TreeMap<>();
        queues.forEach((subscriber, queue) -> {
            Map<String, Integer> byService = new TreeMap<>();
            queue.values().forEach(m -> byService.merge(m.service().serviceName(), 1, Integer::sum));
            result.put(subscriber, byService);
        });
        return result;
    }

    /** The waiting messages of one subscriber, in queue order. */
    public synchronized List<QueuedMessage> waiting(String subscriber) {
        sweep();
        TreeMap<Long, QueuedMessage> queue = queues.get(subscriber);
        return queue == null ? List.of() : List.copyOf(queue.values());
    }

    /** Messages in open sequences. */
    public synchronized int inFlight() {
        sweep();
        return sequences.values().stream().mapToInt(s -> s.messages.size()).sum();
    }

    /** The open sequences, oldest first. */
    public synchronized List<SequenceView> sequences() {
        sweep();
        return sequences.values().stream().map(this::view).toList();
    }

    /** MessageIdentifiers deleted by a correct TerminateSequence, in deletion order. */
    public synchronized Set<String> deletedIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(deleted));
    }

    public synchronized int deletedCount() {
        return deleted.size();
    }

    /** Every message ever enqueued (deleted ones included), in enqueue order: what a feed must end up with. */
    public synchronized List<QueuedMessage> enqueued() {
        return List.copyOf(enqueued);
    }

    /** How many times a message was taken into a sequence (its {@code DeliveryAttempt} when last handed out). */
    public synchronized int deliveryAttempts(String messageIdentifier) {
        return deliveryAttempts.getOrDefault(messageIdentifier, 0);
    }

    /** Forgets everything: queues, sequences, deletions. */
    public synchronized void clear() {
        queues.clear();
        sequences.clear();
        enqueued.clear();
        deleted.clear();
        deliveryAttempts.clear();
    }

    // ---------------------------------------------------------------- the protocol

    record Created(String identifier, Map<MessageService, Integer> inventory) {
    }

    record Page(List<QueuedMessage> messages, long messageNumber, Map<String, Integer> attempts) {
    }

    record Terminated(boolean correct, List<long[]> missingRanges) {
    }

    synchronized Created createSequence(String subscriber) throws WsrmFault {
        sweep();
        for (Sequence open : sequences.values()) {
            if (open.subscriber.equals(subscriber)) {
                throw new WsrmFault(DfdgWsrmSimulator.SEQUENCE_ALREADY_OPEN, "a sequence is already open for "
                        + subscriber + ": " + open.identifier + "; terminate or close it first");
            }
        }
        String identifier = UUID.randomUUID().toString();
        TreeMap<Long, QueuedMessage> queue = queues.getOrDefault(subscriber, new TreeMap<>());
        List<QueuedMessage> taken = new ArrayList<>(Math.min(maxInventory, queue.size()));
        for (Iterator<QueuedMessage> it = queue.values().iterator(); it.hasNext() && taken.size() < maxInventory; ) {
            taken.add(it.next());
            it.remove();
        }
        Map<MessageService, Integer> inventory = new LinkedHashMap<>();
        taken.forEach(m -> inventory.merge(m.service(), 1, Integer::sum));
        if (taken.isEmpty()) {
            return new Created(identifier, inventory); // an empty inventory closes the sequence by itself
        }
        taken.forEach(m -> deliveryAttempts.merge(m.messageIdentifier(), 1, Integer::sum));
        sequences.put(identifier, new Sequence(identifier, subscriber, taken, clock.instant()));
        return new Created(identifier, inventory);
    }

    synchronized Page fetch(String subscriber, String identifier, MessageService service) throws WsrmFault {
        Sequence sequence = open(subscriber, identifier);
        ArrayDeque<QueuedMessage> unfetched = sequence.unfetched.getOrDefault(service, new ArrayDeque<>());
        List<QueuedMessage> page = new ArrayList<>(Math.min(maxPerGet, unfetched.size()));
        while (page.size() < maxPerGet && !unfetched.isEmpty()) {
            page.add(unfetched.removeFirst());
        }
        sequence.fetched += page.size();
        sequence.lastNumber++;
        Map<String, Integer> attempts = new HashMap<>();
        page.forEach(m -> attempts.put(m.messageIdentifier(), deliveryAttempts.getOrDefault(m.messageIdentifier(), 1)));
        return new Page(page, sequence.lastNumber, attempts);
    }

    /** @return AckCorrect: every range lies within the message numbers sent ({@code None} = an empty list) */
    synchronized boolean acknowledge(String subscriber, String identifier, List<long[]> ranges) throws WsrmFault {
        Sequence sequence = open(subscriber, identifier);
        for (long[] range : ranges) {
            if (range[0] < 1 || range[0] > range[1] || range[1] > sequence.lastNumber) {
                return false;
            }
        }
        ranges.forEach(range -> sequence.acknowledged.set((int) range[0], (int) range[1] + 1));
        return true;
    }

    synchronized Terminated terminate(String subscriber, String identifier) throws WsrmFault {
        Sequence sequence = open(subscriber, identifier);
        List<long[]> missing = new ArrayList<>();
        if (acknowledgements) {
            long lower = -1;
            for (int n = 1; n <= sequence.lastNumber + 1; n++) {
                boolean gap = n <= sequence.lastNumber && !sequence.acknowledged.get(n);
                if (gap && lower < 0) {
                    lower = n;
                } else if (!gap && lower > 0) {
                    missing.add(new long[] {lower, n - 1});
                    lower = -1;
                }
            }
        }
        boolean correct = sequence.fetched == sequence.messages.size() && missing.isEmpty();
        if (correct) {
            sequences.remove(identifier);
            sequence.messages.forEach(m -> deleted.add(m.messageIdentifier()));
        }
        return new Terminated(correct, missing);
    }

    synchronized void close(String subscriber, String identifier) throws WsrmFault {
        requeue(open(subscriber, identifier));
    }

    /** The open sequence of this subscriber with this identifier; touches it. */
    private Sequence open(String subscriber, String identifier) throws WsrmFault {
        sweep();
        Sequence sequence = identifier == null ? null : sequences.get(identifier.trim().toLowerCase(java.util.Locale.ROOT));
        if (sequence == null || !sequence.subscriber.equals(subscriber)) {
            throw new WsrmFault(DfdgWsrmSimulator.UNKNOWN_SEQUENCE, "unknown sequence " + identifier + " for "
                    + subscriber + " (never opened, already terminated, closed or expired)");
        }
        sequence.lastActivity = clock.instant();
        return sequence;
    }

    private void sweep() {
        Instant now = clock.instant();
        List<Sequence> expired = sequences.values().stream()
                .filter(s -> !s.lastActivity.plus(expiry).isAfter(now))
                .toList();
        expired.forEach(this::requeue);
    }

    private void requeue(Sequence sequence) {
        sequences.remove(sequence.identifier);
        TreeMap<Long, QueuedMessage> queue = queues.computeIfAbsent(sequence.subscriber, s -> new TreeMap<>());
        sequence.messages.forEach(m -> queue.put(m.position(), m));
    }

    private SequenceView view(Sequence s) {
        Map<String, Integer> inventory = new LinkedHashMap<>();
        s.messages.forEach(m -> inventory.merge(m.service().serviceName(), 1, Integer::sum));
        return new SequenceView(s.identifier, s.subscriber, inventory, s.messages.size(), s.fetched, s.lastNumber,
                s.acknowledged.cardinality(), s.created, s.lastActivity, s.lastActivity.plus(expiry));
    }

    static String checkSubscriber(String subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!SUBSCRIBER.matcher(subscriber).matches()) {
            throw new IllegalArgumentException("a subscriber is <OrganisationTypeIdentifier>:<OrganisationCode>, e.g."
                    + " 8:123, not " + subscriber);
        }
        return subscriber;
    }

    private static final class Sequence {
        final String identifier;
        final String subscriber;
        final List<QueuedMessage> messages;
        final Map<MessageService, ArrayDeque<QueuedMessage>> unfetched = new LinkedHashMap<>();
        final BitSet acknowledged = new BitSet();
        final Instant created;
        Instant lastActivity;
        int fetched;
        long lastNumber;

        Sequence(String identifier, String subscriber, List<QueuedMessage> messages, Instant now) {
            this.identifier = identifier;
            this.subscriber = subscriber;
            this.messages = messages;
            this.created = now;
            this.lastActivity = now;
            messages.forEach(m -> unfetched.computeIfAbsent(m.service(), s -> new ArrayDeque<>()).addLast(m));
        }
    }

}
