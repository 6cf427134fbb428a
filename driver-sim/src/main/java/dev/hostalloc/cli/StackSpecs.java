package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;

import java.io.PrintWriter;

/** Builds the allocator stack a command's {@code --callbacks} option names; a bad spec prints one usage. */
final class StackSpecs
{
    private StackSpecs()
    {
    }

    /**
     * Builds a stack, or prints why not.
     *
     * @param command   the subcommand's name, for the message.
     * @param stackSpec the spec string.
     * @param handler   where the stack reports violations.
     * @param err       where a bad spec is explained.
     * @return the stack, or {@code null} when the spec is malformed (the caller exits with
     *         {@link HostallocCommand#EXIT_USAGE}).
     */
    static AllocationCallbacks build(
        final String command, final String stackSpec, final ViolationHandler handler, final PrintWriter err)
    {
        try
        {
            return Allocators.fromSpec(stackSpec, handler);
        }
        catch (final AllocatorSpecException ex)
        {
            printBadSpec(command, ex, err);
            return null;
        }
    }

    /**
     * Explains a malformed spec: the message's first line says what is wrong, the element list follows.
     *
     * @param command the subcommand's name.
     * @param ex      what the parser said.
     * @param err     where to print.
     */
    static void printBadSpec(final String command, final AllocatorSpecException ex, final PrintWriter err)
    {
        final String message = null == ex.getMessage() ? "" : ex.getMessage().strip();
        err.println("hostalloc " + command + ": " + message.lines().findFirst().orElse(""));
        err.println("allocator elements (outermost first, base allocator last):");
        err.println(Allocators.usage().stripTrailing());
        err.flush();
    }
}
