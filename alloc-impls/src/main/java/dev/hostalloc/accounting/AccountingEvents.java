package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK Flight Recorder events of hostalloc accounting, by name (enable them in a {@code .jfc} file or
 * with {@code jdk.jfr.Recording.enable(name)}; see them with {@code jfr print --events <name> file.jfr}):
 * <ul>
 *   <li>{@value #ACCOUNT_SNAPSHOT}: every open {@link AccountingAllocator}'s accounts, one event per
 *       account, periodically (every second unless the recording sets another period).</li>
 *   <li>{@value #LIMIT_EXCEEDED}: a request refused by an account's limit, with the stack trace of the
 *       request.</li>
 *   <li>{@value #VIOLATION}: a misuse reported to a {@link JfrViolationHandler}, from any decorator.</li>
 * </ul>
 *
 * <p>No event object is created unless its event type is enabled in a running recording: the limit
 * and violation paths test {@link EventType#isEnabled()} first.
 */
public final class AccountingEvents
{
    /** Name of the periodic per-account event. */
    public static final String ACCOUNT_SNAPSHOT = "dev.hostalloc.AccountSnapshot";

    /** Name of the refused-request event. */
    public static final String LIMIT_EXCEEDED = "dev.hostalloc.LimitExceeded";

    /** Name of the violation event. */
    public static final String VIOLATION = "dev.hostalloc.Violation";

    private static final long UNLIMITED_IN_EVENTS = -1;
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private AccountingEvents()
    {
    }

    /** Installs the periodic snapshot hook once per JVM; does nothing where Flight Recorder is missing. */
    static void ensureRegistered()
    {
        if (REGISTERED.compareAndSet(false, true))
        {
            try
            {
                FlightRecorder.addPeriodicEvent(AccountSnapshotEvent.class, AccountingEvents::emitSnapshots);
            }
            catch (final RuntimeException | LinkageError ex)
            {
                // No Flight Recorder in this runtime: accounting works without its events.
            }
        }
    }

    private static void emitSnapshots()
    {
        for (final AccountingAllocator allocator : AccountingAllocator.live())
        {
            for (final Account account : allocator.accounts())
            {
                final AccountSnapshot figures = account.snapshot();
                final AccountSnapshotEvent event = new AccountSnapshotEvent();
                event.allocator = allocator.name();
                event.account = figures.path();
                event.limitBytes = figures.limited() ? figures.limitBytes() : UNLIMITED_IN_EVENTS;
                event.currentBytes = figures.currentBytes();
                event.peakBytes = figures.peakBytes();
                event.liveBlocks = figures.liveBlocks();
                event.allocations = figures.allocations();
                event.failures = figures.failures();
                event.poolFailures = figures.poolFailures();
                event.commandBytes = figures.scope(SystemAllocationScope.COMMAND).currentBytes();
                event.objectBytes = figures.scope(SystemAllocationScope.OBJECT).currentBytes();
                event.cacheBytes = figures.scope(SystemAllocationScope.CACHE).currentBytes();
                event.deviceBytes = figures.scope(SystemAllocationScope.DEVICE).currentBytes();
                event.instanceBytes = figures.scope(SystemAllocationScope.INSTANCE).currentBytes();
                event.commit();
            }
        }
    }

    /** Emits a limit-exceeded event when that event is enabled; on the refusal path only. */
    static void limitExceeded(
        final Account account, final Account requester, final long size, final SystemAllocationScope scope)
    {
        if (!Types.LIMIT_EXCEEDED.isEnabled())
        {
            return;
        }
        final LimitExceededEvent event = new LimitExceededEvent();
        if (event.shouldCommit())
        {
            event.allocator = account.allocator().name();
            event.account = account.path();
            event.requester = requester.path();
            event.requestedBytes = size;
            event.scope = scope.name();
            event.limitBytes = account.limit() == Account.UNLIMITED ? UNLIMITED_IN_EVENTS : account.limit();
            event.chargedBytes = account.chargedBytes();
            event.commit();
        }
    }

    /** Emits a violation event when that event is enabled. */
    static void violation(
        final String violation, final long address, final long size, final SystemAllocationScope scope, final String detail)
    {
        if (!Types.VIOLATION.isEnabled())
        {
            return;
        }
        final ViolationEvent event = new ViolationEvent();
        if (event.shouldCommit())
        {
            event.violation = violation;
            event.address = address;
            event.size = size;
            event.scope = null == scope ? null : scope.name();
            event.detail = detail;
            event.commit();
        }
    }

    /** The event types, looked up once, when first needed. */
    private static final class Types
    {
        static final EventType LIMIT_EXCEEDED = EventType.getEventType(LimitExceededEvent.class);
        static final EventType VIOLATION = EventType.getEventType(ViolationEvent.class);
    }
}
