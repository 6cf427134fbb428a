package dev.hostalloc.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static dev.hostalloc.api.SystemAllocationScope.CACHE;
import static dev.hostalloc.api.SystemAllocationScope.INSTANCE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountingSnapshotTest
{
    private static final Path SCHEMA = Path.of("..", "docs", "schema", "accounting-snapshot-v1.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator())
        .name("vulkan").limit(256L << 20).exportToConfiguredCounters(false).onClose(r -> { }).build();
    private final long[] blocks = new long[3];

    private AccountingSnapshot populated()
    {
        final Account textures = accounting.root().child("renderer/textures", 64L << 20);
        accounting.root().child("audio");
        blocks[0] = textures.allocate(3 << 20, 64, OBJECT);
        blocks[1] = accounting.allocate(200, 8, INSTANCE);
        blocks[2] = textures.allocate(0, 16, CACHE);
        textures.allocate(65L << 20, 64, OBJECT); // refused by the limit
        return accounting.snapshot();
    }

    @AfterEach
    void close()
    {
        for (final long block : blocks)
        {
            accounting.free(block);
        }
        accounting.close();
    }

    @Test
    void jsonMatchesThePublishedSchema() throws Exception
    {
        final String json = populated().toJson();
        final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(Files.readString(SCHEMA));
        final JsonNode document = MAPPER.readTree(json);
        final Set<ValidationMessage> errors = schema.validate(document);
        assertTrue(errors.isEmpty(), () -> errors + "\n" + json);
        assertEquals("hostalloc-accounting-snapshot", document.get("format").asText());
        assertEquals(1, document.get("version").asInt());
        final JsonNode textures = document.get("accounts").get(2);
        assertEquals("vulkan/renderer/textures", textures.get("path").asText());
        assertEquals(3 << 20, textures.get("currentBytes").asLong());
        assertEquals(1, textures.get("failures").asLong());
        assertEquals(64L << 20, textures.get("limitBytes").asLong());
        assertTrue(document.get("accounts").get(1).get("limitBytes").isNull(), "unlimited is null");
        assertEquals(3 << 20, textures.get("scopes").get("OBJECT").get("currentBytes").asLong());
    }

    @Test
    void theSchemaRejectsWhatItShould() throws Exception
    {
        final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(Files.readString(SCHEMA));
        final String json = populated().toJson();
        assertFalse(schema.validate(MAPPER.readTree(json.replace("\"version\" : 1", "\"version\" : 2"))).isEmpty());
        assertFalse(schema.validate(MAPPER.readTree(json.replace("\"currentBytes\"", "\"currentByte\""))).isEmpty());
        assertFalse(schema.validate(MAPPER.readTree(json.replace("\"OBJECT\"", "\"OBJ\""))).isEmpty());
    }

    @Test
    void jsonReadsBackEqual()
    {
        final AccountingSnapshot snapshot = populated();
        assertEquals(snapshot, AccountingSnapshot.fromJson(snapshot.toJson()));
    }

    @Test
    void malformedDocumentsAreRefusedWithTheFieldNamed()
    {
        final String json = populated().toJson();
        assertThrows(IllegalArgumentException.class, () -> AccountingSnapshot.fromJson("not json"));
        assertThrows(IllegalArgumentException.class, () -> AccountingSnapshot.fromJson("{\"format\":\"other\"}"));
        final IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
            () -> AccountingSnapshot.fromJson(json.replace("\"version\" : 1", "\"version\" : 7")));
        assertTrue(version.getMessage().contains("version 7"), version.getMessage());
        final IllegalArgumentException field = assertThrows(IllegalArgumentException.class,
            () -> AccountingSnapshot.fromJson(json.replaceFirst("\"peakBytes\" : \\d+", "\"peakBytes\" : \"x\"")));
        assertTrue(field.getMessage().contains("accounts[0].peakBytes"), field.getMessage());
    }

    @Test
    void theTableShowsEveryAccountIndented()
    {
        final String table = populated().toTable();
        final String[] lines = table.split("\n");
        assertTrue(lines[0].startsWith("accounting 'vulkan' at "), lines[0]);
        assertTrue(lines[1].startsWith("ACCOUNT") && lines[1].contains("CURRENT") && lines[1].contains("INSTANCE"), lines[1]);
        assertTrue(lines[2].startsWith("vulkan "), lines[2]);
        assertTrue(lines[2].contains("3.0 MiB") && lines[2].contains("256.0 MiB"), lines[2]);
        assertTrue(lines[3].startsWith("  renderer "), lines[3]);
        assertTrue(lines[4].startsWith("    textures ") && lines[4].contains("64.0 MiB"), lines[4]);
        assertTrue(lines[5].startsWith("  audio ") && lines[5].contains(" - "), lines[5]);
        assertEquals(6, lines.length);
    }

    @Test
    void byteUnitsAreReadable()
    {
        assertEquals("0 B", ByteUnits.format(0));
        assertEquals("1023 B", ByteUnits.format(1023));
        assertEquals("1.0 KiB", ByteUnits.format(1024));
        assertEquals("1.5 MiB", ByteUnits.format(3 << 19));
        assertEquals("-2.0 KiB", ByteUnits.format(-2048));
        assertEquals("8.0 EiB", ByteUnits.format(Long.MAX_VALUE));
    }
}
