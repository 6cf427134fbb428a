package dev.hostalloc.render;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.LeakReport;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.lwjgl.HostallocMemoryAllocator;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The accounting tree of one render: an {@link AccountingAllocator} named {@value #ACCOUNTING_NAME} over the
 * stack under test, with three child accounts that share it:
 * <pre>
 *   render                 the whole stack
 *   ├── driver             what the Vulkan driver and layers allocate through pAllocator
 *   ├── app                the renderer's own long-lived memory (its frame structs)
 *   └── lwjgl              LWJGL's own allocator: struct malloc/calloc, memAlloc, MemoryStack buffers,
 *                          upcall bookkeeping - routed by {@link HostallocMemoryAllocator}
 * </pre>
 *
 * <p>LWJGL picks its allocator once per JVM, at its first allocation, so {@link #routeLwjgl()} must run
 * before anything in the process touches LWJGL memory (the CLI calls it before it probes for a Vulkan
 * driver). When LWJGL has already chosen, the run goes on unrouted and {@link #lwjglRouting()} says why.
 */
public final class RenderAccounts
{
    /** The accounting allocator's name. */
    public static final String ACCOUNTING_NAME = "render";
    /** The account of the driver's memory. */
    public static final String DRIVER_ACCOUNT = "driver";
    /** The account of the renderer's own memory. */
    public static final String APP_ACCOUNT = "app";
    /** The account of LWJGL's own allocator, when routed. */
    public static final String LWJGL_ACCOUNT = "lwjgl";

    /** {@link #lwjglRouting()} before {@link #routeLwjgl()} ran. */
    public static final String NOT_ROUTED = "not routed (the caller did not ask)";

    private final AtomicReference<LeakReport> leaks = new AtomicReference<>();
    private final AccountingAllocator accounting;
    private final Account driver;
    private final Account app;
    private final Account lwjgl;
    private boolean lwjglRouted;
    private String lwjglRouting = NOT_ROUTED;

    private RenderAccounts(final AllocationCallbacks stack)
    {
        accounting = AccountingAllocator.builder(stack)
            .name(ACCOUNTING_NAME)
            .trackBlocks(true)
            .onClose(leaks::set)
            .build();
        driver = accounting.root().child(DRIVER_ACCOUNT);
        app = accounting.root().child(APP_ACCOUNT);
        lwjgl = accounting.root().child(LWJGL_ACCOUNT);
    }

    /**
     * Builds the tree over a stack (which stays the caller's: {@link #close()} does not close it).
     *
     * @param stack the allocator stack under test.
     * @return the accounts, LWJGL not routed yet.
     * @throws NullPointerException when {@code stack} is {@code null}.
     */
    public static RenderAccounts over(final AllocationCallbacks stack)
    {
        return new RenderAccounts(Objects.requireNonNull(stack, "stack"));
    }

    /**
     * Routes LWJGL's allocator into the {@value #LWJGL_ACCOUNT} account, if LWJGL has not chosen one yet.
     * Never throws: the outcome is in {@link #lwjglRouting()} and {@link #lwjglRouted()}.
     *
     * @return {@code true} when LWJGL's allocations now go through the stack.
     */
    public boolean routeLwjgl()
    {
        try
        {
            HostallocMemoryAllocator.install(lwjgl);
            lwjglRouted = true;
            lwjglRouting = "routed into account " + ACCOUNTING_NAME + "/" + LWJGL_ACCOUNT;
        }
        catch (final IllegalStateException ex)
        {
            lwjglRouted = false;
            lwjglRouting = "not routed: LWJGL chose its allocator before this run (" +
                String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")";
        }
        return lwjglRouted;
    }

    /**
     * Whether LWJGL's allocations go through the stack.
     *
     * @return {@code true} after a successful {@link #routeLwjgl()}.
     */
    public boolean lwjglRouted()
    {
        return lwjglRouted;
    }

    /**
     * How LWJGL's own allocations are accounted, for the report.
     *
     * @return one line.
     */
    public String lwjglRouting()
    {
        return lwjglRouting;
    }

    /**
     * The whole tree.
     *
     * @return the accounting allocator.
     */
    public AccountingAllocator accounting()
    {
        return accounting;
    }

    /**
     * The driver's account: pass it to the Vulkan bridge.
     *
     * @return the account.
     */
    public Account driver()
    {
        return driver;
    }

    /**
     * The renderer's own account.
     *
     * @return the account.
     */
    public Account app()
    {
        return app;
    }

    /**
     * LWJGL's account (empty unless {@link #lwjglRouted()}).
     *
     * @return the account.
     */
    public Account lwjgl()
    {
        return lwjgl;
    }

    /**
     * Closes the accounting tree (not the stack) and returns what was live then.
     *
     * <p>While LWJGL is routed here, its later allocations still reach the stack through the
     * {@value #LWJGL_ACCOUNT} account; the tree only stops reporting.
     *
     * @return the leak report at close, or {@code null} when nothing was live.
     */
    public LeakReport close()
    {
        accounting.close();
        return leaks.get();
    }
}
