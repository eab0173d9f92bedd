package dev.engram.store.server;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerAddressTest {
    @TempDir
    Path tmp;

    @Test
    void anAddressNamesPostgresAndSolrWithDefaults() {
        ServerAddress a = ServerAddress.parse("postgresql://db.example:5433/memory?solr=zk1:2181,zk2:2181/solr"
                + "&shards=2&replicas=2&schema=team&user=alice", Map.of());
        assertEquals(new ServerAddress("db.example", 5433, "memory", "team", "alice", "zk1:2181,zk2:2181/solr", 2, 2),
                a);
        assertEquals("jdbc:postgresql://db.example:5433/memory?currentSchema=team&ApplicationName=engram", a.jdbcUrl());
        assertEquals("postgresql://db.example:5433/memory?user=alice&schema=team&solr=zk1:2181,zk2:2181/solr"
                + "&shards=2&replicas=2", a.describe());
        assertEquals(a, ServerAddress.parse(a.describe(), Map.of()), "what messages show, --store takes again");

        ServerAddress plain = ServerAddress.parse("postgresql://h/m?solr=zk:2181", Map.of("ENGRAM_PG_USER", "bob"));
        assertEquals(5432, plain.port());
        assertEquals("public", plain.schema());
        assertEquals("bob", plain.user());
        assertEquals(1, plain.shards());
        assertEquals(1, plain.replicas());
        assertEquals("postgresql://h:5432/m?user=bob&solr=zk:2181", plain.describe());
    }

    @Test
    void passwordsOnTheCommandLineAndIncompleteAddressesAreRefusedWithoutEchoingThem() {
        for (String spec : new String[] {"postgresql://alice:s3cret@h/m?solr=zk:2181",
                "postgresql://h/m?solr=zk:2181&password=s3cret"}) {
            EngramException e = assertThrows(EngramException.class, () -> ServerAddress.parse(spec, Map.of()));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertTrue(e.getMessage().contains("ENGRAM_PG_PASSWORD_FILE"), e.getMessage());
        }
        for (String spec : new String[] {"postgresql://h/m", "postgresql:///m?solr=zk:2181", "postgresql://h/?solr=z:1",
                "postgresql://h/m?solr=z:1&shards=0", "postgresql://h/m?solr=z:1&shards=x",
                "postgresql://h/m?solr=z:1&schema=a;drop", "postgresql://h/m?solr=z:1&colour=red"}) {
            EngramException e = assertThrows(EngramException.class, () -> ServerAddress.parse(spec, Map.of()), spec);
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode(), spec);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void thePasswordComesFromAPrivateFileOrTheEnvironment() throws Exception {
        assertNull(ServerAddress.password(Map.of(), "ENGRAM_PG"));
        assertEquals("env", ServerAddress.password(Map.of("ENGRAM_PG_PASSWORD", "env"), "ENGRAM_PG"));
        Path file = tmp.resolve("pw");
        Files.writeString(file, "from-file\nignored\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals("from-file", ServerAddress.password(Map.of("ENGRAM_PG_PASSWORD_FILE", file.toString(),
                "ENGRAM_PG_PASSWORD", "env"), "ENGRAM_PG"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        EngramException e = assertThrows(EngramException.class, () -> ServerAddress.password(
                Map.of("ENGRAM_PG_PASSWORD_FILE", file.toString()), "ENGRAM_PG"));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertFalse(e.getMessage().contains("from-file"));

        // pgjdbc's own password file, which pgjdbc reads whatever its mode: engram checks it.
        assertEquals(file, ServerAddress.pgpass(Map.of("PGPASSFILE", file.toString())));
        assertNull(ServerAddress.pgpass(Map.of("PGPASSFILE", tmp.resolve("absent").toString())));
        assertThrows(EngramException.class, () -> ServerAddress.requirePrivate(file, "PostgreSQL's password file"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ServerAddress.requirePrivate(file, "PostgreSQL's password file");
    }
}
