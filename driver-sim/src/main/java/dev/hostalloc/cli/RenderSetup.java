package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.render.RenderAccounts;

import java.io.PrintWriter;

/**
 * What {@code run} and {@code render} set up before anything touches LWJGL: the stack from
 * {@code --callbacks}, its violation handler, and the render accounts with LWJGL's allocator routed into
 * them (LWJGL chooses its allocator once, at its first allocation, so this comes before the Vulkan probe).
 *
 * @param spec       the stack's spec, trimmed.
 * @param violations the handler the stack reports to.
 * @param stack      the stack.
 * @param accounts   the render accounts over the stack.
 */
record RenderSetup(String spec, RecordingViolationHandler violations, AllocationCallbacks stack, RenderAccounts accounts)
{
    /**
     * Checks the options, builds the stack and routes LWJGL into it.
     *
     * @param command   the subcommand's name, for messages.
     * @param callbacks the {@code --callbacks} value.
     * @param frames    the {@code --frames} value.
     * @param err       where bad options are explained.
     * @return the setup, or {@code null} after printing why (exit with {@link HostallocCommand#EXIT_USAGE}).
     */
    static RenderSetup prepare(final String command, final String callbacks, final int frames, final PrintWriter err)
    {
        if (frames < 1)
        {
            err.println("hostalloc " + command + ": --frames must be at least 1: " + frames);
            err.flush();
            return null;
        }
        final String spec = callbacks.trim();
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack = StackSpecs.build(command, spec, violations, err);
        if (null == stack)
        {
            return null;
        }
        final RenderAccounts accounts = RenderAccounts.over(stack);
        accounts.routeLwjgl();
        return new RenderSetup(spec, violations, stack, accounts);
    }
}
