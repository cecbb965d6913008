import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Closed-loop HTTP/1.1 load for a small GET: C connections, one platform thread each, every thread sending its
 * next request as soon as the previous answer is read, over its own keep-alive connection. Used by
 * bcss-proxy-bench.sh for both paths (straight to the gateway simulator over mutual TLS, and through the proxy over
 * plain HTTP), so both are measured by the same client. wrk cannot present a client certificate.
 *
 * <pre>
 * java bench/HttpLoad.java --url URL --bearer TOKEN [--connections 64] [--warmup 5] [--duration 20]
 *     [--keystore P12 --truststore P12 --password changeit] [--watch name=pid,name=pid] [--clk-tck 100]
 * </pre>
 *
 * https URLs: the key store (PKCS#12) holds the client certificate for mutual TLS, the trust store the server's;
 * host name verification is on (endpoint identification HTTPS, against the URL's host). The TCP connection always
 * goes to 127.0.0.1, whatever the host name: the URL's host is only used for SNI, verification and the Host header.
 * <p>
 * Every thread first opens its connection (TLS handshake included); when all have, the warm-up starts, then the
 * measured phase, on the same threads and connections.
 * A request counts in the phase in which its answer was completely read; its latency is from just before the
 * request is written to just after the last body byte is read. Answers read after the end of the measured phase
 * (at most one per connection) are reported as "tail" and left out of the figures, but their statuses still count. Percentiles are nearest-rank over every latency.
 * --watch names processes (name=pid), groups of processes (name=pid+pid+..., e.g. an nginx master and its workers) or
 * some threads of a process (name=pid:regex on the thread name) whose CPU use
 * (utime + stime from /proc, in clock ticks of --clk-tck) is reported for the measured phase, next to the whole
 * machine's (/proc/stat) and this client's own.
 * Prints key=value lines (parsed by bcss-proxy-bench.sh) and exits 1 when any answer was not 2xx or any I/O error
 * happened, in either phase.
 */
public final class HttpLoad {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final int MAX_ERRORS_PER_THREAD = 1_000;

    private static final int WARMUP = 0;
    private static final int MEASURED = 1;
    private static final int DONE = 2;

    private record Settings(URI url, String bearer, int connections, int warmupSeconds, int durationSeconds,
                            String keystore, String truststore, char[] password, Map<String, String> watch, int clockTick) {
    }

    /** What one thread saw in one phase. */
    private static final class PhaseStats {
        long[] latencies = new long[1 << 14];
        int count;
        long non2xx;
        long errors;
        long bodyBytes;
        final Map<Integer, Long> statuses = new TreeMap<>();
        final Map<String, Long> errorKinds = new TreeMap<>();

        void add(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    private static final class Worker implements Runnable {
        final Settings settings;
        final SSLContext tls;
        final byte[] request;
        final PhaseStats[] phases = { new PhaseStats(), new PhaseStats(), new PhaseStats() };
        final CountDownLatch ready;
        final CountDownLatch go;
        final long[] clock; // [0] measure start, [1] measure end (nanoTime), fixed before the threads start
        long connectionsOpened;
        String firstBody;
        String fatal;

        Worker(Settings settings, SSLContext tls, byte[] request, CountDownLatch ready, CountDownLatch go, long[] clock) {
            this.settings = settings;
            this.tls = tls;
            this.request = request;
            this.ready = ready;
            this.go = go;
            this.clock = clock;
        }

        private int phase(long now) {
            return now < clock[0] ? WARMUP : now < clock[1] ? MEASURED : DONE;
        }

        @Override
        public void run() {
            Socket socket = null;
            InputStream in = null;
            OutputStream out = null;
            try {
                // the first connection is opened before the clock starts: TLS handshakes are in no phase
                try {
                    socket = connect();
                    connectionsOpened++;
                    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    out = socket.getOutputStream();
                } catch (IOException e) {
                    closeQuietly(socket);
                    socket = null;
                    error(phases[WARMUP], "connect: " + e.getClass().getSimpleName());
                } finally {
                    ready.countDown();
                }
                go.await(); // the clock is set before go opens
                while (true) {
                    if (phase(System.nanoTime()) == DONE) {
                        return;
                    }
                    if (socket == null) {
                        try {
                            socket = connect();
                            connectionsOpened++;
                            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                            out = socket.getOutputStream();
                        } catch (IOException e) {
                            closeQuietly(socket);
                            socket = null;
                            PhaseStats stats = phases[phase(System.nanoTime())];
                            if (error(stats, "connect: " + e.getClass().getSimpleName())) {
                                return;
                            }
                            continue;
                        }
                    }
                    long start = System.nanoTime();
                    try {
                        out.write(request);
                        out.flush();
                        Answer answer = readAnswer(in, firstBody == null);
                        long end = System.nanoTime();
                        PhaseStats stats = phases[phase(end)];
                        stats.add(end - start);
                        stats.bodyBytes += answer.bodyBytes;
                        stats.statuses.merge(answer.status, 1L, Long::sum);
                        if (answer.status < 200 || answer.status > 299) {
                            stats.non2xx++;
                        }
                        if (firstBody == null) {
                            firstBody = answer.status + " " + answer.body;
                        }
                        if (answer.close) {
                            closeQuietly(socket);
                            socket = null;
                        }
                    } catch (IOException e) {
                        closeQuietly(socket);
                        socket = null;
                        PhaseStats stats = phases[phase(System.nanoTime())];
                        if (error(stats, e.getClass().getSimpleName())) {
                            return;
                        }
                    }
                }
            } catch (RuntimeException e) {
                fatal = e.toString();
            } catch (InterruptedException e) {
                fatal = "interrupted";
            } finally {
                closeQuietly(socket);
            }
        }

        /** Counts an I/O error and pauses a little, so a dead server cannot turn this into a busy loop. */
        private boolean error(PhaseStats stats, String kind) {
            stats.errors++;
            stats.errorKinds.merge(kind, 1L, Long::sum);
            if (phases[WARMUP].errors + phases[MEASURED].errors + phases[DONE].errors >= MAX_ERRORS_PER_THREAD) {
                fatal = "too many I/O errors, last: " + kind;
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            return false;
        }

        private Socket connect() throws IOException {
            int port = settings.url().getPort();
            Socket plain = new Socket();
            try {
                plain.setTcpNoDelay(true);
                plain.setSoTimeout(SOCKET_TIMEOUT_MS);
                plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                if (tls == null) {
                    return plain;
                }
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, settings.url().getHost(), port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // host name verification stays on
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                return secure;
            } catch (IOException | RuntimeException e) {
                closeQuietly(plain);
                throw e;
            }
        }
    }

    private record Answer(int status, long bodyBytes, boolean close, String body) {
    }

    /** Reads one HTTP/1.1 answer: status line, headers, then a Content-Length or chunked body. */
    static Answer readAnswer(InputStream in, boolean keepBody) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        int headerBytes = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headerBytes += header.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("headers too long");
            }
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
                default -> { }
            }
        }
        ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
        long bodyBytes;
        if (status == 204 || status == 304 || status / 100 == 1) {
            bodyBytes = 0;
        } else if (chunked) {
            bodyBytes = 0;
            while (true) {
                String sizeLine = line(in);
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: ignored
                    }
                    break;
                }
                skip(in, size, kept);
                bodyBytes += size;
                if (!line(in).isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        } else if (length >= 0) {
            skip(in, length, kept);
            bodyBytes = length;
        } else {
            throw new IOException("answer without Content-Length or chunking (read-to-close is not supported)");
        }
        String body = kept == null ? null : kept.toString(StandardCharsets.UTF_8);
        return new Answer(status, bodyBytes, close, body);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            if (line.length() >= MAX_HEADER_BYTES) {
                throw new IOException("line too long");
            }
            line.append((char) b);
        }
    }

    private static void skip(InputStream in, long n, ByteArrayOutputStream kept) throws IOException {
        byte[] buffer = new byte[8192];
        while (n > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (read < 0) {
                throw new EOFException("connection closed in the middle of a body");
            }
            if (kept != null && kept.size() < 4096) {
                kept.write(buffer, 0, read);
            }
            n -= read;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static SSLContext tls(Settings settings) throws Exception {
        if (!"https".equals(settings.url().getScheme())) {
            return null;
        }
        if (settings.keystore() == null || settings.truststore() == null) {
            throw new IllegalArgumentException("an https URL needs --keystore and --truststore");
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(settings.keystore())) {
            keys.load(in, settings.password());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, settings.password());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(settings.truststore())) {
            trust.load(in, settings.password());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static Settings parse(String[] args) {
        URI url = null;
        String bearer = null;
        String keystore = null;
        String truststore = null;
        String password = "changeit";
        int connections = 64;
        int warmup = 5;
        int duration = 20;
        int clockTick = 100;
        Map<String, String> watch = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = URI.create(value);
                case "--bearer" -> bearer = value;
                case "--connections" -> connections = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--keystore" -> keystore = value;
                case "--truststore" -> truststore = value;
                case "--password" -> password = value;
                case "--clk-tck" -> clockTick = Integer.parseInt(value);
                case "--watch" -> {
                    for (String item : value.split(",")) {
                        String[] nameAndPid = item.split("=", 2);
                        if (nameAndPid.length != 2 || !nameAndPid[1].matches("\\d+((\\+\\d+)+|:.+)?")) {
                            throw new IllegalArgumentException("--watch takes name=pid, name=pid+pid+... or name=pid:thread-name-regex");
                        }
                        watch.put(nameAndPid[0], nameAndPid[1]);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || url.getPort() < 0 || url.getRawPath() == null || url.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("--url with an explicit port and a path is required");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("http or https URLs only");
        }
        if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) {
            throw new IllegalArgumentException("the load only targets 127.0.0.1 / localhost, not " + url.getHost());
        }
        if (connections < 1 || connections > 1024 || warmup < 0 || warmup > 120 || duration < 1 || duration > 300) {
            throw new IllegalArgumentException("connections 1..1024, warmup 0..120 s, duration 1..300 s");
        }
        return new Settings(url, bearer, connections, warmup, duration, keystore, truststore, password.toCharArray(), watch,
                clockTick);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: java bench/HttpLoad.java --url URL --bearer TOKEN [--connections 64] [--warmup 5]"
                    + " [--duration 20] [--keystore P12 --truststore P12 --password changeit]"
                    + " [--watch name=pid,...] [--clk-tck 100]");
            System.exit(2);
            return;
        }
        SSLContext tls = tls(settings);
        URI url = settings.url();
        String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder()
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
                .append("Accept: application/json\r\n")
                .append("User-Agent: bcss-proxy-bench/HttpLoad\r\n");
        if (settings.bearer() != null && !settings.bearer().isEmpty()) {
            head.append("Authorization: Bearer ").append(settings.bearer()).append("\r\n");
        }
        byte[] request = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);

        int n = settings.connections();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] clock = new long[2];
        long started = System.nanoTime();
        List<Worker> workers = new ArrayList<>(n);
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Worker worker = new Worker(settings, tls, request, ready, go, clock);
            workers.add(worker);
            Thread thread = new Thread(worker, "load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        ready.await(); // every thread has opened its connection (or failed to: bounded by the socket timeouts)
        long launched = System.nanoTime();
        long connectedAfter = launched - started;
        clock[0] = launched + TimeUnit.SECONDS.toNanos(settings.warmupSeconds());
        clock[1] = clock[0] + TimeUnit.SECONDS.toNanos(settings.durationSeconds());
        go.countDown();
        // CPU used during the measured phase: by the whole machine, by this client, by the watched processes
        sleepUntil(clock[0], threads);
        CpuSnapshot before = CpuSnapshot.take(settings.watch());
        sleepUntil(clock[1], threads);
        CpuSnapshot after = CpuSnapshot.take(settings.watch());
        long limit = clock[1] + TimeUnit.SECONDS.toNanos(30); // a request in flight at the end gets 30 s at most
        boolean stuck = false;
        for (Thread thread : threads) {
            long left = limit - System.nanoTime();
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            stuck |= thread.isAlive();
        }

        long measuredNanos = clock[1] - clock[0];
        String[] names = { "warmup", "measured", "tail" };
        boolean failed = stuck;
        System.out.println("url=" + url);
        System.out.println("connections=" + n + " warmup_s=" + settings.warmupSeconds() + " duration_s="
                + settings.durationSeconds() + " tls=" + (tls != null ? "mutual(client certificate), host name verified" : "none"));
        System.out.println("all_connected_ms=" + millis(connectedAfter));
        for (int p = WARMUP; p <= DONE; p++) {
            int total = 0;
            long non2xx = 0;
            long errors = 0;
            long bytes = 0;
            Map<Integer, Long> statuses = new TreeMap<>();
            Map<String, Long> errorKinds = new TreeMap<>();
            for (Worker w : workers) {
                PhaseStats s = w.phases[p];
                total += s.count;
                non2xx += s.non2xx;
                errors += s.errors;
                bytes += s.bodyBytes;
                s.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
                s.errorKinds.forEach((k, v) -> errorKinds.merge(k, v, Long::sum));
            }
            long[] all = new long[total];
            int at = 0;
            for (Worker w : workers) {
                System.arraycopy(w.phases[p].latencies, 0, all, at, w.phases[p].count);
                at += w.phases[p].count;
            }
            Arrays.sort(all);
            long phaseNanos = p == MEASURED ? measuredNanos : p == WARMUP ? clock[0] - launched : 0;
            double rps = phaseNanos > 0 ? total / (phaseNanos / 1e9) : 0;
            double mean = total == 0 ? 0 : Arrays.stream(all).average().orElse(0);
            System.out.printf(Locale.ROOT, "%s_requests=%d %s_rps=%.1f %s_non2xx=%d %s_errors=%d %s_body_bytes=%d%n",
                    names[p], total, names[p], rps, names[p], non2xx, names[p], errors, names[p], bytes);
            System.out.printf(Locale.ROOT, "%s_p50_ms=%s %s_p90_ms=%s %s_p99_ms=%s %s_max_ms=%s %s_mean_ms=%.3f%n",
                    names[p], millis(percentile(all, 50)), names[p], millis(percentile(all, 90)),
                    names[p], millis(percentile(all, 99)), names[p], millis(total == 0 ? 0 : all[total - 1]),
                    names[p], mean / 1e6);
            System.out.println(names[p] + "_statuses=" + statuses + " " + names[p] + "_error_kinds=" + errorKinds);
            failed |= (p != DONE && total == 0) || non2xx > 0 || errors > 0;
        }
        System.out.println(CpuSnapshot.report(before, after, settings.clockTick(), measuredNanos));
        long opened = workers.stream().mapToLong(w -> w.connectionsOpened).sum();
        System.out.println("connections_opened=" + opened);
        workers.stream().map(w -> w.fatal).filter(f -> f != null).findFirst()
                .ifPresent(f -> System.out.println("fatal=" + f));
        if (stuck) {
            System.out.println("fatal=some threads were still waiting for an answer 30 s after the end");
        }
        String sample = workers.stream().map(w -> w.firstBody).filter(b -> b != null).findFirst().orElse("(none)");
        System.out.println("sample_answer=" + sample.replace('\n', ' ').replace('\r', ' '));
        System.out.flush();
        System.exit(failed || workers.stream().anyMatch(w -> w.fatal != null) ? 1 : 0);
    }

    /** Sleeps until nanoTime, or until no load thread is left (they stop early only after too many errors). */
    private static void sleepUntil(long nanoTime, List<Thread> threads) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            if (threads.stream().noneMatch(Thread::isAlive)) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    /**
     * CPU times from /proc (Linux): the machine's busy and idle jiffies (first line of /proc/stat), utime + stime of
     * each watched process, and this JVM's own CPU time. Missing files give -1, reported as "?".
     */
    private record CpuSnapshot(long busy, long idle, Map<String, Long> processes, long ownNanos) {

        static CpuSnapshot take(Map<String, String> watch) {
            long busy = -1;
            long idle = -1;
            try {
                String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal ...
                busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
                idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            } catch (IOException | RuntimeException e) {
                // not Linux, or an unexpected format
            }
            Map<String, Long> processes = new java.util.LinkedHashMap<>();
            watch.forEach((name, spec) -> processes.put(name, jiffies(spec)));
            long own = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
            return new CpuSnapshot(busy, idle, processes, own);
        }

        /**
         * "pid": the whole process; "pid+pid+...": the sum over those processes (-1 if one is gone); "pid:regex": the
         * sum over its threads whose name (comm) matches the regex.
         */
        private static long jiffies(String spec) {
            int colon = spec.indexOf(':');
            if (colon < 0 && spec.contains("+")) {
                long sum = 0;
                for (String pid : spec.split("\\+")) {
                    long j = statJiffies(java.nio.file.Path.of("/proc", pid, "stat"));
                    if (j < 0) {
                        return -1;
                    }
                    sum += j;
                }
                return sum;
            }
            if (colon < 0) {
                return statJiffies(java.nio.file.Path.of("/proc", spec, "stat"));
            }
            java.util.regex.Pattern names = java.util.regex.Pattern.compile(spec.substring(colon + 1));
            long sum = 0;
            try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(
                    java.nio.file.Path.of("/proc", spec.substring(0, colon), "task"))) {
                for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                    String comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
                    if (names.matcher(comm).matches()) {
                        long j = statJiffies(task.resolve("stat"));
                        sum += Math.max(j, 0);
                    }
                }
                return sum;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        private static long statJiffies(java.nio.file.Path file) {
            try {
                String stat = java.nio.file.Files.readString(file);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** CPU seconds used in the window, and as cores (CPU seconds per wall second). */
        static String report(CpuSnapshot a, CpuSnapshot b, int tick, long windowNanos) {
            double wall = windowNanos / 1e9;
            StringBuilder out = new StringBuilder("cpu_window_s=").append(String.format(Locale.ROOT, "%.1f", wall));
            if (a.busy() >= 0 && b.busy() >= 0) {
                double busy = (b.busy() - a.busy()) / (double) tick;
                double idle = (b.idle() - a.idle()) / (double) tick;
                out.append(String.format(Locale.ROOT, " cpu_machine_busy_cores=%.2f cpu_machine_idle_cores=%.2f",
                        busy / wall, idle / wall));
            }
            out.append(String.format(Locale.ROOT, " cpu_client_cores=%.2f",
                    a.ownNanos() < 0 ? Double.NaN : (b.ownNanos() - a.ownNanos()) / 1e9 / wall));
            a.processes().forEach((name, start) -> {
                Long end = b.processes().get(name);
                out.append(" cpu_").append(name).append("_cores=").append(start < 0 || end == null || end < 0 ? "?"
                        : String.format(Locale.ROOT, "%.2f", (end - start) / (double) tick / wall));
            });
            return out.toString();
        }
    }

    /** Nearest rank: the smallest latency with at least p % of the latencies at or below it. */
    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
