package dev.hostalloc.tests.lint;

import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.lint.HostAllocationRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds {@code samples/lint-consumer}, a separate Maven project that adds lint-rules and runs every
 * rule in one line, against the lint-rules and alloc-api just built: they go into a temporary local
 * repository, the machine's local repository serves as a read-only tail
 * ({@code maven.repo.local.tail}) for the plugins and libraries the main build already fetched, and
 * Maven runs offline. The clean sample must pass with all six rules run; with a leaking class and a
 * real-time path that allocates added, it must fail with both messages.
 */
class ConsumerExampleTest
{
    private static final String SAMPLE = "samples/lint-consumer";
    private static final String REPORT = "target/surefire-reports/com.example.AllocationDisciplineTest.txt";
    private static final String XML_REPORT = "target/surefire-reports/TEST-com.example.AllocationDisciplineTest.xml";
    private static final long BUILD_TIMEOUT_MINUTES = 5;
    private static final int RULE_COUNT = 6;

    private static final String LEAKY = """
        package com.example.audio;

        import java.nio.ByteBuffer;

        final class Leaky
        {
            ByteBuffer scratch()
            {
                return ByteBuffer.allocateDirect(4096);
            }
        }
        """;

    private static final String METER = """
        package com.example.audio;

        import dev.hostalloc.api.RealtimeSafe;

        import java.util.ArrayList;
        import java.util.List;

        final class Meter
        {
            private List<Float> peaks;

            @RealtimeSafe
            void process(final float[] block)
            {
                record(block[0]);
            }

            private void record(final float peak)
            {
                if (null == peaks)
                {
                    peaks = new ArrayList<>();
                }
            }
        }
        """;

    @Test
    void sampleProjectRunsTheRulesInOneLineAndFailsOnViolations(@TempDir final Path work) throws Exception
    {
        final Path root = Path.of(System.getProperty("hostalloc.root", "..")).toAbsolutePath().normalize();
        final Path localRepository = Path.of(System.getProperty(
            "hostalloc.localRepository", System.getProperty("user.home") + "/.m2/repository"));
        final Document rootPom = parse(root.resolve("pom.xml"));
        final String version = childText(rootPom.getDocumentElement(), "version");

        final Path repository = work.resolve("repository");
        install(repository, "hostalloc-parent", version, root.resolve("pom.xml"), null);
        install(repository, "alloc-api", version, root.resolve("alloc-api/pom.xml"), codeSource(DirectAllocation.class));
        install(repository, "lint-rules", version, root.resolve("lint-rules/pom.xml"), codeSource(HostAllocationRules.class));

        final Path consumer = work.resolve("lint-consumer");
        copyTree(root.resolve(SAMPLE), consumer);
        final List<String> command = mavenCommand(root, consumer, repository, localRepository, rootPom, version);

        final Build clean = run(command, root, work.resolve("clean.log"));
        assertEquals(0, clean.exitCode(), clean::output);
        final Element suite = parse(consumer.resolve(XML_REPORT)).getDocumentElement();
        assertEquals(String.valueOf(RULE_COUNT), suite.getAttribute("tests"), "every rule ran");
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals("0", suite.getAttribute("skipped"));

        final Path audio = consumer.resolve("src/main/java/com/example/audio");
        Files.writeString(audio.resolve("Leaky.java"), LEAKY);
        Files.writeString(audio.resolve("Meter.java"), METER);
        final Build violating = run(command, root, work.resolve("violating.log"));
        assertNotEquals(0, violating.exitCode(), violating::output);
        final String report = Files.readString(consumer.resolve(REPORT));
        assertTrue(report.contains("Method <com.example.audio.Leaky.scratch()> calls method " +
            "<java.nio.ByteBuffer.allocateDirect(int)> in (Leaky.java:9): direct allocation (ByteBuffer.allocateDirect) " +
            "outside @DirectAllocation code"), report);
        assertTrue(report.contains("Method <com.example.audio.Meter.process([F)> is @RealtimeSafe but reaches an object " +
            "construction: Meter.process(float[]) -> Meter.record(float) -> new ArrayList() in (Meter.java:22)"), report);
        assertTrue(report.contains("Tests run: 6, Failures: 2"), report);
    }

    private static List<String> mavenCommand(
        final Path root,
        final Path consumer,
        final Path repository,
        final Path localRepository,
        final Document rootPom,
        final String version)
    {
        final Element properties = child(rootPom.getDocumentElement(), "properties");
        final List<String> command = new ArrayList<>(List.of(
            root.resolve("mvnw").toString(), "-B", "-o", "-q",
            "-f", consumer.resolve("pom.xml").toString(),
            "-Dmaven.repo.local=" + repository,
            "-Dmaven.repo.local.tail=" + localRepository,
            "-Dhostalloc.version=" + version,
            "-Djunit.version=" + childText(properties, "junit.version")));
        // the plugin versions of the main build, whose copies are in the local repository
        for (final Map.Entry<String, String> plugin : Map.of(
            "resources.plugin.version", "maven-resources-plugin",
            "compiler.plugin.version", "maven-compiler-plugin",
            "surefire.plugin.version", "maven-surefire-plugin").entrySet())
        {
            command.add("-D" + plugin.getKey() + "=" + pluginVersion(rootPom, plugin.getValue()));
        }
        command.add("test");
        return command;
    }

    private static Build run(final List<String> command, final Path directory, final Path log)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // Maven and the sample's tests run on the JDK running this test (25), which can read the jars.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // a short-lived Maven gains nothing from the optimising JIT; C1 only starts it faster
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
        final Process process = builder.start();
        if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new AssertionError("the sample build took more than " + BUILD_TIMEOUT_MINUTES + " minutes: " +
                Files.readString(log));
        }
        return new Build(process.exitValue(), Files.readString(log));
    }

    private static void install(
        final Path repository, final String artifactId, final String version, final Path pom, final Path classes)
        throws IOException
    {
        final Path directory = repository.resolve("dev/hostalloc").resolve(artifactId).resolve(version);
        Files.createDirectories(directory);
        Files.copy(pom, directory.resolve(artifactId + "-" + version + ".pom"));
        if (null != classes)
        {
            final Path jar = directory.resolve(artifactId + "-" + version + ".jar");
            if (Files.isDirectory(classes))
            {
                jar(classes, jar); // run before packaging (e.g. ./mvnw test): jar target/classes
            }
            else
            {
                Files.copy(classes, jar);
            }
        }
    }

    private static void jar(final Path classes, final Path jar) throws IOException
    {
        try (OutputStream out = Files.newOutputStream(jar);
            JarOutputStream jarOut = new JarOutputStream(out);
            Stream<Path> files = Files.walk(classes))
        {
            for (final Path file : files.filter(Files::isRegularFile).sorted().toList())
            {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : files.toList())
            {
                final Path relative = from.relativize(file);
                if (relative.startsWith("target"))
                {
                    continue;
                }
                final Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Path codeSource(final Class<?> type) throws URISyntaxException
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String pluginVersion(final Document pom, final String artifactId)
    {
        final NodeList plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++)
        {
            final Element plugin = (Element)plugins.item(i);
            if (artifactId.equals(childText(plugin, "artifactId")) && null != child(plugin, "version"))
            {
                return childText(plugin, "version");
            }
        }
        throw new AssertionError("no version of " + artifactId + " in the root pom");
    }

    private static Document parse(final Path xml) throws Exception
    {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    private static Element child(final Element parent, final String name)
    {
        for (Node node = parent.getFirstChild(); null != node; node = node.getNextSibling())
        {
            if (node instanceof final Element element && name.equals(element.getTagName()))
            {
                return element;
            }
        }
        return null;
    }

    private static String childText(final Element parent, final String name)
    {
        final Element element = child(parent, name);
        if (null == element)
        {
            throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
        }
        return element.getTextContent().strip();
    }

    private record Build(int exitCode, String output)
    {
        Build
        {
            output = new String(output.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }
    }
}
