package dev.hostalloc.accounting;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;

/** Flight Recorder: a misuse of allocation callbacks reported by any decorator through a {@link JfrViolationHandler}. */
@Name(AccountingEvents.VIOLATION)
@Label("Host Memory Violation")
@Category({ "hostalloc", "Violations" })
@Description("A misuse of the allocation callbacks (double free, foreign pointer, bad alignment, ...)")
final class ViolationEvent extends Event
{
    @Label("Violation")
    String violation;

    @Label("Address")
    @MemoryAddress
    long address;

    @Label("Size")
    @DataAmount
    long size;

    @Label("Scope")
    String scope;

    @Label("Detail")
    String detail;
}
