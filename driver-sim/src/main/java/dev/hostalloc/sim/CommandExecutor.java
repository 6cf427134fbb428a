package dev.hostalloc.sim;

import dev.hostalloc.sim.layout.BufferDescriptor;
import dev.hostalloc.sim.layout.CommandBufferDescriptor;
import dev.hostalloc.sim.layout.CommandChunkDescriptor;
import dev.hostalloc.sim.layout.CommandDescriptor;
import dev.hostalloc.sim.layout.FenceDescriptor;
import dev.hostalloc.sim.layout.ImageDescriptor;
import dev.hostalloc.sim.layout.QueueDescriptor;

import static dev.hostalloc.sim.HandleChecks.expect;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.PARENT_OFFSET;
import static org.lwjgl.system.MemoryUtil.memCopy;
import static org.lwjgl.system.MemoryUtil.memGetInt;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutInt;
import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * Queue execution: walks a command buffer's chunk chain and applies each recorded command to the
 * host memory of the buffers and images it names, then signals the fence. Plain memory reads and
 * writes: no allocation of any kind.
 */
final class CommandExecutor
{
    private static final int FILL_WORD = Integer.BYTES;

    private CommandExecutor()
    {
    }

    static void execute(final long queue, final long commandBuffer)
    {
        expect(commandBuffer, ObjectType.COMMAND_BUFFER, "commandBuffer");
        if (memGetInt(commandBuffer + CommandBufferDescriptor.STATE_OFFSET) != CommandBufferDescriptor.STATE_EXECUTABLE)
        {
            throw new IllegalStateException(
                "VUID-vkQueueSubmit-pCommandBuffers-00070: the command buffer is not executable (end it successfully first)");
        }
        final long pool = memGetLong(commandBuffer + PARENT_OFFSET);
        if (memGetLong(pool + PARENT_OFFSET) != memGetLong(queue + PARENT_OFFSET))
        {
            throw new IllegalArgumentException("the command buffer's device is not the queue's");
        }
        long executed = 0;
        long chunk = memGetLong(commandBuffer + CommandBufferDescriptor.FIRST_CHUNK_OFFSET);
        while (0 != chunk)
        {
            final long end = chunk + memGetInt(chunk + CommandChunkDescriptor.USED_OFFSET);
            long command = chunk + CommandChunkDescriptor.HEADER_LENGTH;
            while (command < end)
            {
                executeCommand(queue, command);
                executed++;
                command += memGetInt(command + CommandDescriptor.LENGTH_OFFSET);
            }
            chunk = memGetLong(chunk + CommandChunkDescriptor.NEXT_OFFSET);
        }
        addToLong(queue + QueueDescriptor.SUBMIT_COUNT_OFFSET, 1);
        addToLong(queue + QueueDescriptor.COMMANDS_EXECUTED_OFFSET, executed);
    }

    private static void executeCommand(final long queue, final long command)
    {
        final long operands = command + CommandDescriptor.operandOffset(0);
        switch (memGetInt(command + CommandDescriptor.OPCODE_OFFSET))
        {
            case CommandDescriptor.FILL_BUFFER ->
            {
                final long target = memGetLong(memGetLong(operands) + BufferDescriptor.MEMORY_OFFSET) +
                    memGetLong(command + CommandDescriptor.operandOffset(1));
                fillInts(target, memGetLong(command + CommandDescriptor.operandOffset(2)),
                    (int)memGetLong(command + CommandDescriptor.operandOffset(3)));
            }
            case CommandDescriptor.COPY_BUFFER -> memCopy(
                memGetLong(memGetLong(operands) + BufferDescriptor.MEMORY_OFFSET) +
                    memGetLong(command + CommandDescriptor.operandOffset(2)),
                memGetLong(memGetLong(command + CommandDescriptor.operandOffset(1)) + BufferDescriptor.MEMORY_OFFSET) +
                    memGetLong(command + CommandDescriptor.operandOffset(3)),
                memGetLong(command + CommandDescriptor.operandOffset(4)));
            case CommandDescriptor.UPDATE_BUFFER -> memCopy(
                command + CommandDescriptor.operandOffset(3),
                memGetLong(memGetLong(operands) + BufferDescriptor.MEMORY_OFFSET) +
                    memGetLong(command + CommandDescriptor.operandOffset(1)),
                memGetLong(command + CommandDescriptor.operandOffset(2)));
            case CommandDescriptor.CLEAR_COLOR_IMAGE ->
            {
                final long image = memGetLong(operands);
                final long memory = memGetLong(image + ImageDescriptor.MEMORY_OFFSET);
                final long size = memGetLong(image + ImageDescriptor.MEMORY_SIZE_OFFSET);
                final int color = (int)memGetLong(command + CommandDescriptor.operandOffset(1));
                if (memGetInt(image + ImageDescriptor.TEXEL_SIZE_OFFSET) < FILL_WORD)
                {
                    memSet(memory, color & 0xFF, size);
                }
                else
                {
                    fillInts(memory, size, color);
                }
            }
            case CommandDescriptor.DRAW ->
            {
                addToLong(queue + QueueDescriptor.DRAW_COUNT_OFFSET, 1);
                addToLong(queue + QueueDescriptor.VERTICES_DRAWN_OFFSET,
                    (long)memGetInt(operands) * memGetInt(operands + Integer.BYTES));
            }
            default ->
            {
                // BIND_PIPELINE, BIND_DESCRIPTOR_SET: state for draws, which driver-sim only counts
            }
        }
    }

    private static void fillInts(final long address, final long size, final int value)
    {
        for (long at = 0; at + FILL_WORD <= size; at += FILL_WORD)
        {
            memPutInt(address + at, value);
        }
    }

    private static void addToLong(final long address, final long delta)
    {
        memPutLong(address, memGetLong(address) + delta);
    }

    static void signal(final long queue, final long fence)
    {
        if (0 != fence)
        {
            expect(fence, ObjectType.FENCE, "fence");
            if (memGetLong(fence + PARENT_OFFSET) != memGetLong(queue + PARENT_OFFSET))
            {
                throw new IllegalArgumentException("the fence's device is not the queue's");
            }
            memPutInt(fence + FenceDescriptor.SIGNALED_OFFSET, 1);
        }
    }
}
