package dev.hostalloc.accounting;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Flight Recorder: a request refused because it would have pushed an account past its limit. */
@Name(AccountingEvents.LIMIT_EXCEEDED)
@Label("Host Memory Limit Exceeded")
@Category({ "hostalloc", "Accounting" })
@Description("A host allocation refused by an account's budget (the caller sees NULL, a Vulkan driver VK_ERROR_OUT_OF_HOST_MEMORY)")
final class LimitExceededEvent extends Event
{
    @Label("Allocator")
    String allocator;

    @Label("Account")
    @Description("The account whose limit refused the request")
    String account;

    @Label("Requesting Account")
    @Description("The account the request was made through")
    String requester;

    @Label("Requested")
    @DataAmount
    long requestedBytes;

    @Label("Scope")
    String scope;

    @Label("Limit")
    @DataAmount
    long limitBytes;

    @Label("Charged")
    @Description("Bytes in use plus the threads' reserves when the request was refused")
    @DataAmount
    long chargedBytes;
}
