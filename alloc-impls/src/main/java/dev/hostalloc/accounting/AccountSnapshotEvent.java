package dev.hostalloc.accounting;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Flight Recorder: one account's figures, emitted periodically (every second by default) for every account. */
@Name(AccountingEvents.ACCOUNT_SNAPSHOT)
@Label("Host Memory Account")
@Category({ "hostalloc", "Accounting" })
@Description("One accounting account's figures, emitted periodically")
@Period("1 s")
@StackTrace(false)
final class AccountSnapshotEvent extends Event
{
    @Label("Allocator")
    String allocator;

    @Label("Account")
    @Description("Account path from the root")
    String account;

    @Label("Limit")
    @Description("Budget in bytes; -1 when unlimited")
    @DataAmount
    long limitBytes;

    @Label("Current")
    @DataAmount
    long currentBytes;

    @Label("Peak")
    @DataAmount
    long peakBytes;

    @Label("Live Blocks")
    long liveBlocks;

    @Label("Allocations")
    long allocations;

    @Label("Limit Failures")
    long failures;

    @Label("Pool Failures")
    long poolFailures;

    @Label("Command Scope")
    @DataAmount
    long commandBytes;

    @Label("Object Scope")
    @DataAmount
    long objectBytes;

    @Label("Cache Scope")
    @DataAmount
    long cacheBytes;

    @Label("Device Scope")
    @DataAmount
    long deviceBytes;

    @Label("Instance Scope")
    @DataAmount
    long instanceBytes;
}
