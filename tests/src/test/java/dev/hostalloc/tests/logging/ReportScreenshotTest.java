package dev.hostalloc.tests.logging;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.AccountingSnapshot;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.trace.TraceReader;
import dev.hostalloc.trace.TraceReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens a trace report in headless Chromium and checks the screenshot: it exists, has the window's
 * size and shows a page rather than a blank; with an accounting snapshot, the page runs on into its
 * accounts tables, which are inked too. Skips with a message where Chromium is missing, unless
 * {@value #REQUIRE_ENV}=1 (CI), where that fails.
 */
class ReportScreenshotTest
{
    /** Set to 1 to fail instead of skipping when Chromium is missing. */
    static final String REQUIRE_ENV = "HOSTALLOC_REQUIRE_CHROMIUM";

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 900;
    private static final long TIMEOUT_SECONDS = 90;
    private static final List<String> CANDIDATES = List.of("chromium", "chromium-browser");
    private static final int MIN_DISTINCT_COLOURS = 32;
    private static final double MIN_INKED_SHARE = 0.02;

    @TempDir
    Path dir;

    @Test
    void theReportRendersInHeadlessChromium() throws Exception
    {
        final Path chromium = findChromium();
        final Path trace = dir.resolve("screenshot.trace");
        try (LoggingAllocator logging = LoggingAllocator.open(trace, new SystemAllocator()))
        {
            phasedWorkload(logging);
        }
        final Path html = dir.resolve("report.html");
        TraceReport.write(TraceReader.open(trace), html);

        final Path png = dir.resolve("report.png");
        final Path profile = Files.createTempDirectory(dir, "chromium-profile");
        final List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + png,
            "--window-size=" + WIDTH + "," + HEIGHT, html.toUri().toString()));
        final Path log = dir.resolve("chromium.log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command + "\n" + Files.readString(log));
        }
        assertTrue(Files.isRegularFile(png), "no screenshot; exit " + process.exitValue() + "\n" + Files.readString(log));

        final BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a PNG: " + png);
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        final int background = image.getRGB(WIDTH / 2, 4);
        final Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = 0; y < HEIGHT; y += 2)
        {
            for (int x = 0; x < WIDTH; x += 2)
            {
                final int rgb = image.getRGB(x, y);
                colours.add(rgb);
                inked += rgb != background ? 1 : 0;
            }
        }
        final double share = inked / (double)((WIDTH / 2) * (HEIGHT / 2));
        assertTrue(colours.size() >= MIN_DISTINCT_COLOURS, "a blank page: " + colours.size() + " colours");
        assertTrue(share >= MIN_INKED_SHARE, "a blank page: " + share + " of the pixels differ from the background");
        final Path kept = Path.of("target", "report-screenshot.png");
        Files.createDirectories(kept.getParent());
        Files.copy(png, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ReportScreenshotTest: " + colours.size() + " colours, " + Math.round(share * 100) +
            "% inked; screenshot kept at " + kept.toAbsolutePath());
    }

    @Test
    void theReportWithAnAccountingSnapshotRendersItsAccountsTables() throws Exception
    {
        final Path chromium = findChromium();
        final Path trace = dir.resolve("accounted.trace");
        final AccountingSnapshot snapshot;
        try (AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator()).name("vulkan")
            .limit(64L << 20).exportToConfiguredCounters(false).onClose(r -> { }).build())
        {
            final Account renderer = accounting.root().child("renderer");
            final Account textures = renderer.child("textures", 256 * 1024);
            try (LoggingAllocator logging = LoggingAllocator.open(trace, accounting))
            {
                phasedWorkload(logging);
                for (int i = 0; i < 40; i++)
                {
                    textures.allocate(16 * 1024, 64, SystemAllocationScope.OBJECT); // 16 fit, 24 refused, none freed
                    renderer.allocate(512, 16, SystemAllocationScope.COMMAND);
                }
            }
            snapshot = AccountingSnapshot.fromJson(accounting.snapshot().toJson()); // the JSON the CLI reads
        }
        final Path html = dir.resolve("accounted.html");
        TraceReport.write(TraceReader.open(trace), List.of(snapshot), html);
        final String page = Files.readString(html);
        assertTrue(page.contains("Accounts of") && page.contains("Live when the snapshot was taken"), "no snapshot sections");

        final int height = 3200;
        final BufferedImage image = screenshot(chromium, html, dir.resolve("accounted.png"), height);
        // The snapshot's two tables are the last sections: the page's lower part must show them.
        final int background = image.getRGB(WIDTH / 2, 4);
        int lastInkedRow = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < WIDTH; x += 3)
            {
                if (image.getRGB(x, y) != background)
                {
                    lastInkedRow = y;
                    break;
                }
            }
        }
        final int from = lastInkedRow - 700;
        final Set<Integer> colours = new HashSet<>();
        long inked = 0;
        for (int y = from; y < lastInkedRow; y += 2)
        {
            for (int x = 0; x < WIDTH; x += 2)
            {
                final int rgb = image.getRGB(x, y);
                colours.add(rgb);
                inked += rgb != background ? 1 : 0;
            }
        }
        final double share = inked / (double)((WIDTH / 2) * ((lastInkedRow - from) / 2));
        assertTrue(lastInkedRow > HEIGHT, "the page should run past the first screen: " + lastInkedRow);
        assertTrue(colours.size() >= MIN_DISTINCT_COLOURS, "blank snapshot sections: " + colours.size() + " colours");
        assertTrue(share >= MIN_INKED_SHARE, "blank snapshot sections: " + share);
        final Path kept = Path.of("target", "report-snapshot-screenshot.png");
        Files.createDirectories(kept.getParent());
        ImageIO.write(image, "png", kept.toFile());
        System.out.println("ReportScreenshotTest (snapshot): page ends at row " + lastInkedRow + ", its last 700 rows " +
            colours.size() + " colours, " + Math.round(share * 100) + "% inked; screenshot kept at " + kept.toAbsolutePath());
    }

    private BufferedImage screenshot(final Path chromium, final Path html, final Path png, final int height)
        throws IOException, InterruptedException
    {
        final Path profile = Files.createTempDirectory(dir, "chromium-profile");
        final List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--screenshot=" + png,
            "--window-size=" + WIDTH + "," + height, html.toUri().toString()));
        final Path log = dir.resolve(png.getFileName() + ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command + "\n" + Files.readString(log));
        }
        assertTrue(Files.isRegularFile(png), "no screenshot; exit " + process.exitValue() + "\n" + Files.readString(log));
        final BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a PNG: " + png);
        assertEquals(WIDTH, image.getWidth());
        assertEquals(height, image.getHeight());
        return image;
    }

    private static Path findChromium()
    {
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (final String name : CANDIDATES)
        {
            for (final String entry : path.split(File.pathSeparator))
            {
                final Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
                if (Files.isExecutable(candidate))
                {
                    return candidate;
                }
            }
        }
        final String message = "headless Chromium not found on PATH (" + String.join(", ", CANDIDATES) +
            "): install it with 'apt-get install -y chromium' to check the HTML report renders";
        if ("1".equals(System.getenv(REQUIRE_ENV)))
        {
            fail(REQUIRE_ENV + "=1 but " + message);
        }
        Assumptions.assumeTrue(false, message);
        return null;
    }

    /** An instance, then a device, objects churning, command-scope spikes, then teardown with one leak. */
    private static void phasedWorkload(final AllocationCallbacks callbacks) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(11);
        final List<Long> instance = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            instance.add(callbacks.allocate(4096 + random.nextInt(8192), 16, SystemAllocationScope.INSTANCE));
        }
        pause();
        final long device = callbacks.allocate(512 * 1024, 64, SystemAllocationScope.DEVICE);
        final List<Long> objects = new ArrayList<>();
        for (int round = 0; round < 30; round++)
        {
            for (int i = 0; i < 20; i++)
            {
                objects.add(callbacks.allocate(16L << random.nextInt(9), 16, SystemAllocationScope.OBJECT));
            }
            final long command = callbacks.allocate(64 * 1024 + random.nextInt(65536), 16, SystemAllocationScope.COMMAND);
            callbacks.free(command);
            while (objects.size() > 150)
            {
                callbacks.free(objects.remove(random.nextInt(objects.size())));
            }
            final long cache = callbacks.allocate(1024 * (round + 1), 16, SystemAllocationScope.CACHE);
            if (round % 3 != 0)
            {
                callbacks.free(cache);
            }
            pause();
        }
        objects.forEach(callbacks::free);
        callbacks.free(device);
        for (int i = 1; i < instance.size(); i++)
        {
            callbacks.free(instance.get(i)); // instance.get(0) leaks, on purpose
        }
    }

    private static void pause()
    {
        LockSupport.parkNanos(2_000_000L);
    }
}
