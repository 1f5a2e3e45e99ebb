package dev.lineagegraph.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.AuthenticationResult;
import org.neo4j.internal.kernel.api.security.LoginContext;
import org.neo4j.kernel.api.security.AuthManager;
import org.neo4j.kernel.api.security.AuthToken;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

import sun.misc.Signal;

/**
 * Runs an embedded Neo4j Community DBMS that serves Bolt on one address.
 *
 * <p>Protocol with the parent process: exactly one line {@code NEO4J_READY bolt://HOST:PORT} on
 * stdout once Bolt accepts connections; on a startup error one line {@code NEO4J_FAILED <message>}
 * on stderr and exit code 1. SIGTERM/SIGINT shut the DBMS down cleanly and exit with code 0.
 */
public final class Neo4jLauncher {

    private static final String USAGE = String.join(
            "\n",
            "Usage: Neo4jLauncher [options]",
            "  --data-dir PATH     data, transaction logs and logs (default .data/neo4j; env NEO4J_DATA_DIR)",
            "  --host HOST         Bolt listen/advertised host (default 127.0.0.1; env NEO4J_HOST)",
            "  --port N            Bolt port (default 7687; env NEO4J_PORT)",
            "  --password PW       enable auth, user neo4j gets this password (env NEO4J_PASSWORD;",
            "                      absent: auth disabled)",
            "  --pagecache SIZE    page cache size, e.g. 64m (default 64m; env NEO4J_PAGECACHE)",
            "  --tx-memory SIZE    max total transaction memory, e.g. 256m (default: Neo4j's;",
            "                      env NEO4J_TX_MEMORY)",
            "  --exit-on-stdin-close  stop cleanly when stdin reaches end of file, so that a parent",
            "                      that dies without stopping this process does not leave it behind");

    private static final long READY_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    private Neo4jLauncher() {}

    /** Launcher settings; CLI options override environment variables, which override defaults. */
    static final class Options {
        Path dataDir;
        String host;
        int port;
        String password;
        String pageCache;
        String txMemory;
        boolean exitOnStdinClose;

        static Options parse(String[] args, Map<String, String> env) {
            Options o = new Options();
            String dataDir = env.getOrDefault("NEO4J_DATA_DIR", ".data/neo4j");
            String host = env.getOrDefault("NEO4J_HOST", "127.0.0.1");
            String port = env.getOrDefault("NEO4J_PORT", "7687");
            String password = env.get("NEO4J_PASSWORD");
            String pageCache = env.getOrDefault("NEO4J_PAGECACHE", "64m");
            String txMemory = env.get("NEO4J_TX_MEMORY");

            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (name.equals("--exit-on-stdin-close")) {
                    o.exitOnStdinClose = true;
                    continue;
                }
                if (name.equals("--help") || name.equals("-h")) {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + name);
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "--data-dir" -> dataDir = value;
                    case "--host" -> host = value;
                    case "--port" -> port = value;
                    case "--password" -> password = value;
                    case "--pagecache" -> pageCache = value;
                    case "--tx-memory" -> txMemory = value;
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }

            if (dataDir.isBlank()) {
                throw new IllegalArgumentException("--data-dir must not be empty");
            }
            o.dataDir = Path.of(dataDir).toAbsolutePath().normalize();
            o.host = host.isBlank() ? "127.0.0.1" : host;
            try {
                o.port = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port: " + port);
            }
            if (o.port < 1 || o.port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            o.password = (password == null || password.isEmpty()) ? null : password;
            o.pageCache = pageCache;
            o.txMemory = (txMemory == null || txMemory.isBlank()) ? null : txMemory;
            return o;
        }
    }

    public static void main(String[] args) {
        // Keep stdout for the protocol line only; anything else a library prints goes to stderr.
        PrintStream protocolOut = System.out;
        System.setOut(System.err);

        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            fail(e.getMessage() + " (use --help)");
            return;
        }

        AtomicBoolean stopped = new AtomicBoolean(false);
        CountDownLatch stopRequested = new CountDownLatch(1);
        DatabaseManagementService[] holder = new DatabaseManagementService[1];

        // Fallback for System.exit()/SIGHUP etc.; normal stops go through the signal handlers below.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(holder[0], stopped), "neo4j-shutdown"));
        // Handle TERM/INT ourselves so that a requested stop ends with exit code 0, not 143/130.
        for (String sig : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(sig), s -> stopRequested.countDown());
            } catch (IllegalArgumentException ignored) {
                // Signal not available (e.g. -Xrs); the shutdown hook still covers it.
            }
        }

        DatabaseManagementService dbms;
        try {
            checkPortFree(options.host, options.port);
            dbms = start(options);
            holder[0] = dbms;
            awaitReady(dbms);
            if (options.password != null) {
                setPassword(dbms, options.password);
            }
            awaitBolt(options.host, options.port);
            if (stopRequested.getCount() == 0) { // signalled while starting: stop without READY
                stop(dbms, stopped);
                System.exit(0);
            }
        } catch (Throwable t) {
            System.err.println("NEO4J_FAILED " + describe(t));
            System.err.flush();
            try {
                stop(holder[0], stopped);
            } catch (Throwable ignored) {
                // best effort
            }
            Runtime.getRuntime().halt(1);
            return;
        }

        if (options.exitOnStdinClose) {
            watchStdin(stopRequested);
        }
        protocolOut.println("NEO4J_READY bolt://" + formatHost(options.host) + ":" + options.port);
        protocolOut.flush();

        // Keep the JVM alive until asked to stop.
        while (true) {
            try {
                stopRequested.await();
                break;
            } catch (InterruptedException ignored) {
                // keep waiting
            }
        }
        stop(dbms, stopped);
        System.exit(0);
    }

    private static DatabaseManagementService start(Options o) throws IOException {
        Files.createDirectories(o.dataDir);
        SocketAddress bolt = new SocketAddress(o.host, o.port);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(o.dataDir)
                // Bolt only, advertised == listen so neo4j:// routing tables point back here.
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(o.host))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(o.host))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // No extra server-side-routing connector (it would bind a second port, 7688).
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                // Auth.
                .setConfig(GraphDatabaseSettings.auth_enabled, o.password != null)
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // Storage: every node keeps its relationships grouped by type (Neo4j's default does so past 50). Then
                // a walk that names its types reads those alone, not the ended WAS copies that history
                // keeps beside them (cypher/README.md, "History"), so questions about now cost what
                // they did before the graph remembered.
                .setConfig(GraphDatabaseSettings.dense_node_threshold, 1)
                // Memory.
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes("--pagecache", o.pageCache))
                // Disk: logs under the data dir, few and small transaction log files.
                .setConfig(GraphDatabaseSettings.logs_directory, o.dataDir.resolve("logs"))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty's default 5 s quiet period per event loop group makes shutdown take ~10 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5));
        if (o.txMemory != null) {
            builder.setConfig(
                    GraphDatabaseSettings.memory_transaction_global_max_size, parseBytes("--tx-memory", o.txMemory));
        }
        return builder.build();
    }

    private static long parseBytes(String option, String value) {
        try {
            return SettingValueParsers.BYTES.parse(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid size for " + option + ": " + value);
        }
    }

    private static void awaitReady(DatabaseManagementService dbms) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        for (String name :
                new String[] {GraphDatabaseSettings.SYSTEM_DATABASE_NAME, GraphDatabaseSettings.DEFAULT_DATABASE_NAME}) {
            GraphDatabaseService db = dbms.database(name);
            long left = Math.max(1, deadline - System.currentTimeMillis());
            if (!db.isAvailable(left)) {
                throw new IllegalStateException("database '" + name + "' did not become available");
            }
        }
    }

    /**
     * Makes user neo4j log in with {@code password} without a forced change; idempotent across restarts.
     * Admin Cypher costs seconds of planner warm-up, so first check (cheaply, in-process) whether the
     * stored credentials already match and only run Cypher when they do not.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        if (passwordAlreadySet(system, password)) {
            return;
        }
        Map<String, Object> params = Map.of("pw", password);
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", params);
        } catch (QueryExecutionException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("does not exist")) {
                system.executeTransactionally(
                        "CREATE USER neo4j IF NOT EXISTS SET PASSWORD $pw CHANGE NOT REQUIRED", params);
            } else if (msg.contains("cannot be the same")) {
                // Same password, but a change was still required.
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
            } else {
                throw e;
            }
        }
    }

    /** True when neo4j/password logs in successfully (no change required); false when unsure. */
    private static boolean passwordAlreadySet(GraphDatabaseService system, String password) {
        try {
            AuthManager auth = ((GraphDatabaseAPI) system).getDependencyResolver().resolveDependency(AuthManager.class);
            LoginContext login = auth.login(
                    AuthToken.newBasicAuthToken("neo4j", password.getBytes(StandardCharsets.UTF_8)),
                    ClientConnectionInfo.EMBEDDED_CONNECTION);
            return login.subject().getAuthenticationResult() == AuthenticationResult.SUCCESS;
        } catch (Exception | LinkageError e) {
            return false; // internal API changed or failed: fall back to Cypher
        }
    }

    /** Fails fast (before the databases start, which takes seconds) when the Bolt port is taken. */
    private static void checkPortFree(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve host " + host + ": " + e.getMessage());
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot listen on " + host + ":" + port + " (" + e.getMessage() + "; port already in use?)");
        }
    }

    /** Waits until a TCP connect to the Bolt address succeeds. */
    private static void awaitBolt(String host, int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(
                "Bolt not accepting connections on " + host + ":" + port + (last == null ? "" : ": " + last));
    }

    /** Requests a stop when stdin ends: the parent closed it or died (its end of the pipe closes). */
    private static void watchStdin(CountDownLatch stopRequested) {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of file
            }
            stopRequested.countDown();
        }, "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void stop(DatabaseManagementService dbms, AtomicBoolean stopped) {
        if (dbms != null && stopped.compareAndSet(false, true)) {
            dbms.shutdown();
        }
    }

    private static String formatHost(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** One-line description: the deepest cause's message, which is where Neo4j puts the real reason. */
    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable cur = t;
        String lastMsg = null;
        while (cur != null) {
            String msg = cur.getMessage();
            if (msg != null && !msg.isBlank() && (lastMsg == null || !lastMsg.contains(msg))) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(msg.strip());
                lastMsg = msg;
            }
            if (cur.getCause() == cur) {
                break;
            }
            cur = cur.getCause();
        }
        String out = sb.length() == 0 ? t.getClass().getName() : sb.toString();
        return out.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static void fail(String message) {
        System.err.println("NEO4J_FAILED " + message);
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }
}
