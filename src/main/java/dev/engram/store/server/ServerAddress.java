package dev.engram.store.server;

import dev.engram.EngramException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A server store's address, as a user gives it to {@code --store}:
 * {@code postgresql://HOST[:PORT]/DATABASE?solr=ZK[,ZK...][/CHROOT][&schema=S][&user=U][&shards=N][&replicas=N]}.
 * The password is never part of it (a command line is seen by every user of the machine and
 * kept in shell histories): it comes from {@code ENGRAM_PG_PASSWORD_FILE}, a file only its owner
 * may read, or from {@code ENGRAM_PG_PASSWORD} (docs/server-store.md, "Credentials").
 *
 * @param host PostgreSQL's host
 * @param port PostgreSQL's port
 * @param database the database holding the record
 * @param schema the PostgreSQL schema (namespace) of engram's tables in it
 * @param user the role engram connects as
 * @param zkHost SolrCloud's ZooKeeper ensemble, with its chroot ({@code zk1:2181,zk2:2181/solr})
 * @param shards shards of each new space's collection
 * @param replicas replicas of each shard of a new space's collection
 */
public record ServerAddress(String host, int port, String database, String schema, String user, String zkHost,
                            int shards, int replicas) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> OPTIONS = Set.of("solr", "schema", "user", "shards", "replicas");

    /** Whether {@code spec} is meant as a server store's address. */
    public static boolean names(String spec) {
        return spec.startsWith("postgresql://");
    }

    /** Parses an address, refusing with one line what it cannot use; never echoes a password. */
    public static ServerAddress parse(String spec, Map<String, String> env) {
        URI uri;
        try {
            uri = new URI(spec);
        } catch (URISyntaxException e) {
            throw EngramException.invalidInput("--store: not a valid address (" + e.getReason()
                    + "); expected postgresql://HOST[:PORT]/DATABASE?solr=ZKHOST:PORT[/CHROOT]");
        }
        if (uri.getRawUserInfo() != null) {
            throw EngramException.invalidInput("--store: the address names a user or password before the host;"
                    + " give the user as ?user=NAME and the password in ENGRAM_PG_PASSWORD_FILE or"
                    + " ENGRAM_PG_PASSWORD, never on the command line");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw EngramException.invalidInput("--store: the address names no host: expected"
                    + " postgresql://HOST[:PORT]/DATABASE?solr=ZKHOST:PORT[/CHROOT]");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty() || database.contains("/")) {
            throw EngramException.invalidInput("--store: the address must name one database after the host"
                    + " (postgresql://HOST:PORT/DATABASE?...)");
        }
        Map<String, String> options = options(uri.getRawQuery());
        String zkHost = options.get("solr");
        if (zkHost == null || zkHost.isBlank()) {
            throw EngramException.invalidInput("--store: the address needs ?solr=ZKHOST:PORT[,ZKHOST:PORT...][/CHROOT],"
                    + " the ZooKeeper of the SolrCloud that holds the vector indexes");
        }
        String schema = options.getOrDefault("schema", "public");
        if (!NAME.matcher(schema).matches()) {
            throw EngramException.invalidInput("--store: schema '" + schema + "' is not a plain SQL name"
                    + " (letters, digits, underscores, at most 63)");
        }
        String user = options.getOrDefault("user", env.getOrDefault("ENGRAM_PG_USER", System.getProperty("user.name")));
        return new ServerAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, schema, user,
                zkHost, count(options, "shards"), count(options, "replicas"));
    }

    private static Map<String, String> options(String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals("password")) {
                throw EngramException.invalidInput("--store: the address holds a password; put it in"
                        + " ENGRAM_PG_PASSWORD_FILE (a file only you can read) or ENGRAM_PG_PASSWORD instead,"
                        + " never on the command line");
            }
            if (!OPTIONS.contains(key)) {
                throw EngramException.invalidInput("--store: unknown option '" + key + "' in the address (it takes "
                        + String.join(", ", OPTIONS.stream().sorted().toList()) + ")");
            }
            options.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return options;
    }

    private static int count(Map<String, String> options, String key) {
        String value = options.getOrDefault(key, "1");
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw EngramException.invalidInput("--store: " + key + "=" + value + " is not a whole number from 1 to 64");
    }

    /** The JDBC URL: no credentials in it, so that it can be logged. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?currentSchema=" + schema
                + "&ApplicationName=engram";
    }

    /** The address as messages show it, and as --store takes it again: everything but the password. */
    public String describe() {
        return "postgresql://" + host + ":" + port + "/" + database + "?user=" + user
                + (schema.equals("public") ? "" : "&schema=" + schema) + "&solr=" + zkHost
                + (shards == 1 ? "" : "&shards=" + shards) + (replicas == 1 ? "" : "&replicas=" + replicas);
    }

    /**
     * A password: from the file {@code PREFIX_PASSWORD_FILE} names (its first line; refused if
     * others than its owner may read it, as ssh and libpq refuse such files), else the variable
     * {@code PREFIX_PASSWORD}, else none ({@code ENGRAM_PG}: trust or peer authentication, or
     * pgjdbc's own password file; {@code ENGRAM_SOLR}: a SolrCloud without authentication).
     */
    public static String password(Map<String, String> env, String prefix) {
        String variable = prefix + "_PASSWORD_FILE";
        String file = env.get(variable);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            requirePrivate(path, variable + " " + path);
            try {
                return Files.readAllLines(path, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw EngramException.invalidInput(variable + " " + path + " cannot be read: "
                        + e.getClass().getSimpleName());
            }
        }
        return env.get(prefix + "_PASSWORD");
    }

    /**
     * Refuses a file of secrets that others than its owner may read or write, as ssh and libpq
     * refuse them (pgjdbc reads its own password file, {@code ~/.pgpass}, whatever its mode, so
     * engram checks that one too: docs/server-store-postgresql.md).
     */
    static void requirePrivate(Path path, String what) {
        try {
            Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            others.retainAll(Files.getPosixFilePermissions(path));
            if (!others.isEmpty()) {
                throw EngramException.invalidInput(what + " may be read or written by others than its owner; make it"
                        + " private (chmod 600 " + path + ")");
            }
        } catch (UnsupportedOperationException e) {
            throw EngramException.invalidInput(what + ": this file system cannot tell who may read it");
        } catch (IOException e) {
            throw EngramException.invalidInput(what + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The password file pgjdbc reads when engram gives it no password (its own rule, libpq's
     * order: the system property {@code org.postgresql.pgpassfile}, {@code PGPASSFILE}, then
     * {@code ~/.pgpass}), if there is one.
     */
    static Path pgpass(Map<String, String> env) {
        String property = System.getProperty("org.postgresql.pgpassfile");
        String named = property != null && !property.isBlank() ? property : env.get("PGPASSFILE");
        Path path = named != null && !named.isBlank() ? Path.of(named)
                : Path.of(System.getProperty("user.home"), ".pgpass");
        return Files.isRegularFile(path) ? path : null;
    }
}
