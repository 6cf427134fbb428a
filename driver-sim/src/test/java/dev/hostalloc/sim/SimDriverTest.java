package dev.hostalloc.sim;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ReportedViolation;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.sim.layout.PipelineDescriptor;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.DeclaredTraitsAllocator;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetInt;

/** driver-sim's rules one by one: fallback, scopes, compatibility on destroy, compliance, pools, caches, recording. */
class SimDriverTest
{
    private static final int[] SPIRV = { 0x07230203, 0x00010000, 0, 4, 0 };

    private final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
    private final RecordingAllocator instanceCallbacks = recorder();
    private final SimDriver driver = new SimDriver(new SystemAllocator(ViolationHandler.throwing()), violations);
    private final long[] out = new long[1];
    private long instance;
    private long device;

    private static RecordingAllocator recorder()
    {
        return new RecordingAllocator(new SystemAllocator(ViolationHandler.throwing()));
    }

    @BeforeEach
    void createInstanceAndDevice()
    {
        assertEquals(SimResult.SUCCESS, driver.createInstance(instanceCallbacks, out));
        instance = out[0];
        assertEquals(SimResult.SUCCESS,
            driver.createDevice(driver.physicalDevice(instance), AllocatorRequirements.NONE, null, out));
        device = out[0];
    }

    @AfterEach
    void destroyAndCheckNothingLive()
    {
        driver.destroyDevice(device, null);
        driver.destroyInstance(instance, instanceCallbacks);
        assertTrue(instanceCallbacks.validate().check(0).passed(), () -> instanceCallbacks.validate().check(0).text());
    }

    @Test
    void mostSpecificAllocatorWinsObjectThenDeviceThenInstance()
    {
        // Device made without callbacks: its memory comes from the instance's.
        assertSame(instanceCallbacks, driver.callbacksOf(device));
        assertSame(instanceCallbacks, driver.callbacksOf(driver.deviceQueue(device)));

        final RecordingAllocator own = recorder();
        assertEquals(SimResult.SUCCESS, driver.createBuffer(device, 256, own, out));
        final long buffer = out[0];
        assertSame(own, driver.callbacksOf(buffer));
        assertEquals(2, own.validate().liveCount(SystemAllocationScope.OBJECT), "object block + memory");
        driver.destroyBuffer(device, buffer, own);
        assertTrue(own.validate().check(0).passed());

        final int before = instanceCallbacks.recordCount();
        assertEquals(SimResult.SUCCESS, driver.createBuffer(device, 256, null, out));
        assertSame(instanceCallbacks, driver.callbacksOf(out[0]), "falls back through the device to the instance");
        assertEquals(before + 2, instanceCallbacks.recordCount());
        driver.destroyBuffer(device, out[0], null);

        final RecordingAllocator deviceCallbacks = recorder();
        assertEquals(SimResult.SUCCESS,
            driver.createDevice(driver.physicalDevice(instance), AllocatorRequirements.NONE, deviceCallbacks, out));
        final long second = out[0];
        assertEquals(3, deviceCallbacks.validate().liveCount(SystemAllocationScope.DEVICE), "device, tables, queue");
        assertEquals(SimResult.SUCCESS, driver.createFence(second, false, null, out));
        assertSame(deviceCallbacks, driver.callbacksOf(out[0]), "the device's callbacks, not the instance's");
        driver.destroyFence(second, out[0], null);
        driver.destroyDevice(second, deviceCallbacks);
        assertTrue(deviceCallbacks.validate().check(0).passed());
        assertFalse(violations.hasViolations(), violations::report);
    }

    @Test
    void theDriversOwnMechanismServesWhenNothingWasGiven()
    {
        final RecordingAllocator implementation = recorder();
        final SimDriver own = new SimDriver(implementation, ViolationHandler.throwing());
        assertEquals(SimResult.SUCCESS, own.createInstance(null, out));
        assertSame(implementation, own.callbacksOf(out[0]));
        assertEquals(2, implementation.validate().liveCount(SystemAllocationScope.INSTANCE));
        own.destroyInstance(out[0], null);
        assertTrue(implementation.validate().check(0).passed());
    }

    @Test
    void commandScopeMemoryIsFreedBeforeTheCallReturns()
    {
        final RecordingAllocator callbacks = recorder();
        assertEquals(SimResult.SUCCESS, driver.createShaderModule(device, SPIRV, SPIRV.length, callbacks, out));
        final long module = out[0];
        assertTrue(callbacks.records().stream().anyMatch(r -> r.scope() == SystemAllocationScope.COMMAND.value()),
            "createShaderModule uses a COMMAND-scope parse table");
        assertEquals(0, callbacks.validate().liveCount(SystemAllocationScope.COMMAND));
        assertEquals(SimResult.SUCCESS, driver.createGraphicsPipelines(device, 0, 1, new long[] { module }, callbacks, out));
        assertEquals(0, callbacks.validate().liveCount(SystemAllocationScope.COMMAND));
        assertEquals(PipelineDescriptor.EXECUTABLE_CODE_SIZE, callbacks.validate().internalTotal(
            InternalAllocationType.EXECUTABLE, SystemAllocationScope.OBJECT), "compiled code reported while alive");
        driver.destroyPipeline(device, out[0], callbacks);
        assertEquals(0, callbacks.validate().internalTotal(InternalAllocationType.EXECUTABLE, SystemAllocationScope.OBJECT));
        driver.destroyShaderModule(device, module, callbacks);
        assertTrue(callbacks.validate().check(0).passed());
    }

    @Test
    void destroyWithoutTheCreatingCallbacksIsReportedWithTheFirstVuid()
    {
        final RecordingAllocator callbacks = recorder();
        assertEquals(SimResult.SUCCESS, driver.createBuffer(device, 64, callbacks, out));
        final long buffer = out[0];
        driver.destroyBuffer(device, buffer, null);
        assertTrue(callbacks.validate().check(0).passed(), "freed with the creating callbacks anyway");
        final ReportedViolation reported = violations.violations().get(0);
        assertEquals(Violation.INCOMPATIBLE_ALLOCATOR, reported.violation());
        assertEquals(buffer, reported.address());
        assertTrue(reported.detail().startsWith("VUID-vkDestroyBuffer-buffer-00923"), reported.detail());
        assertTrue(reported.detail().contains("00924"), "names the pair: " + reported.detail());
    }

    @Test
    void destroyWithOtherCallbacksIsReportedAsIncompatible()
    {
        final RecordingAllocator creating = recorder();
        final RecordingAllocator other = recorder();
        assertEquals(SimResult.SUCCESS, driver.createFence(device, false, creating, out));
        driver.destroyFence(device, out[0], other);
        assertEquals(0, other.recordCount(), "the other callbacks must not free memory they did not make");
        assertTrue(creating.validate().check(0).passed());
        assertEquals(1, violations.count(Violation.INCOMPATIBLE_ALLOCATOR));
        assertTrue(violations.violations().get(0).detail().startsWith("VUID-vkDestroyFence-fence-01121"));
    }

    @Test
    void destroyWithCallbacksWhenNoneWereGivenIsReportedWithTheSecondVuid()
    {
        assertEquals(SimResult.SUCCESS, driver.createImage(device, SimDriver.FORMAT_R8_UNORM, 8, 8, null, out));
        driver.destroyImage(device, out[0], recorder());
        assertEquals(1, violations.count(Violation.UNEXPECTED_ALLOCATOR));
        assertTrue(violations.violations().get(0).detail().startsWith("VUID-vkDestroyImage-image-01002"));
    }

    @Test
    void everyDestroyCommandNamesItsVuidPair()
    {
        assertEquals(ObjectType.values().length, ObjectType.COUNT);
        for (final ObjectType type : ObjectType.values())
        {
            if (null != type.destroyCommand())
            {
                assertTrue(type.compatibleAllocatorVuid().startsWith("VUID-" + type.destroyCommand() + "-"), type::name);
                assertTrue(type.nullAllocatorVuid().startsWith("VUID-" + type.destroyCommand() + "-"), type::name);
                assertNotEquals(type.compatibleAllocatorVuid(), type.nullAllocatorVuid());
            }
        }
    }

    @Test
    void realtimeDeviceRefusesCallbacksThatAreNotRealtimeSafeAndBounded()
    {
        final long physical = driver.physicalDevice(instance);
        assertEquals(SimResult.ERROR_FEATURE_NOT_PRESENT,
            driver.createDevice(physical, AllocatorRequirements.REALTIME, null, out));
        assertEquals(0, out[0]);
        final String reason = driver.lastFailureReason();
        assertTrue(reason.contains("realtime-safe callbacks are required") && reason.contains("bounded capacity"), reason);

        final AllocationCallbacks realtime = new DeclaredTraitsAllocator(new SystemAllocator(ViolationHandler.throwing()),
            new AllocatorTraits(false, true, 64, 1 << 20));
        assertEquals(SimResult.SUCCESS, driver.createDevice(physical, AllocatorRequirements.REALTIME, realtime, out));
        final long realtimeDevice = out[0];
        assertEquals(AllocatorRequirements.REALTIME, driver.deviceRequirements(realtimeDevice));

        // Objects of a real-time device may not bring their own unsafe callbacks either.
        assertEquals(SimResult.ERROR_FEATURE_NOT_PRESENT, driver.createBuffer(realtimeDevice, 64, recorder(), out));
        assertTrue(driver.lastFailureReason().startsWith("createBuffer"), driver.lastFailureReason());
        assertEquals(SimResult.SUCCESS, driver.createBuffer(realtimeDevice, 64, null, out));
        driver.destroyBuffer(realtimeDevice, out[0], null);
        driver.destroyDevice(realtimeDevice, realtime);
        assertFalse(violations.hasViolations(), violations::report);
    }

    @Test
    void fullDescriptorPoolFailsWithoutAskingForHostMemory()
    {
        final RecordingAllocator callbacks = recorder();
        assertEquals(SimResult.SUCCESS, driver.createDescriptorPool(device, 2, 1, callbacks, out));
        final long pool = out[0];
        final long[] sets = new long[3];
        final int before = callbacks.recordCount();
        assertEquals(SimResult.ERROR_OUT_OF_POOL_MEMORY, driver.allocateDescriptorSets(device, pool, 3, sets));
        assertEquals(before, callbacks.recordCount(), "OUT_OF_POOL_MEMORY only if no host allocation was attempted");
        assertEquals(SimResult.SUCCESS, driver.allocateDescriptorSets(device, pool, 2, sets));
        assertSame(callbacks, driver.callbacksOf(sets[0]), "pooled objects use their pool's callbacks");
        assertEquals(SimResult.SUCCESS, driver.freeDescriptorSets(device, pool, 1, sets));
        assertEquals(SimResult.SUCCESS, driver.resetDescriptorPool(device, pool));
        assertEquals(0, callbacks.validate().liveCount(SystemAllocationScope.OBJECT) - 1, "only the pool is left");
        driver.destroyDescriptorPool(device, pool, callbacks);
        assertTrue(callbacks.validate().check(0).passed());
    }

    @Test
    void pipelineCacheGrowsByCacheScopeReallocationAndMerges()
    {
        final RecordingAllocator cacheCallbacks = recorder();
        assertEquals(SimResult.SUCCESS, driver.createPipelineCache(device, cacheCallbacks, out));
        final long cache = out[0];
        assertEquals(SimResult.SUCCESS, driver.createPipelineCache(device, null, out));
        final long other = out[0];
        final long[] modules = new long[6];
        for (int i = 0; i < modules.length; i++)
        {
            final int[] code = SPIRV.clone();
            code[4] = i; // distinct code, distinct cache key
            assertEquals(SimResult.SUCCESS, driver.createShaderModule(device, code, code.length, null, out));
            modules[i] = out[0];
        }
        final long[] pipelines = new long[6];
        assertEquals(SimResult.SUCCESS, driver.createGraphicsPipelines(device, other, 6, modules, null, pipelines));
        assertEquals(6, driver.pipelineCacheEntryCount(other));
        assertEquals(SimResult.SUCCESS, driver.mergePipelineCaches(device, cache, 1, new long[] { other }));
        assertEquals(6, driver.pipelineCacheEntryCount(cache));
        assertTrue(cacheCallbacks.records().stream().anyMatch(r -> r.kind() == AllocationRecord.Kind.REALLOCATION &&
            r.scope() == SystemAllocationScope.CACHE.value()), "the entry table grew by a CACHE-scope reallocation");
        final long[] again = new long[1];
        assertEquals(SimResult.SUCCESS, driver.createGraphicsPipelines(device, cache, 1, modules, null, again));
        assertTrue(driver.pipelineCacheHit(again[0]));
        driver.destroyPipeline(device, again[0], null);
        for (int i = 0; i < modules.length; i++)
        {
            driver.destroyPipeline(device, pipelines[i], null);
            driver.destroyShaderModule(device, modules[i], null);
        }
        driver.destroyPipelineCache(device, other, null);
        driver.destroyPipelineCache(device, cache, cacheCallbacks);
        assertTrue(cacheCallbacks.validate().check(0).passed());
    }

    @Test
    void aFailedCacheInsertionIsNoErrorThePipelineIsMadeUncached()
    {
        final DeterministicFailAllocator failing = new DeterministicFailAllocator(
            new SystemAllocator(ViolationHandler.throwing()), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        assertEquals(SimResult.SUCCESS, driver.createPipelineCache(device, failing, out));
        final long cache = out[0];
        final long[] modules = new long[5];
        for (int i = 0; i < modules.length; i++)
        {
            final int[] code = SPIRV.clone();
            code[4] = i;
            assertEquals(SimResult.SUCCESS, driver.createShaderModule(device, code, code.length, null, out));
            modules[i] = out[0];
        }
        failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 0); // the cache can no longer grow
        final long[] pipelines = new long[5];
        assertEquals(SimResult.SUCCESS, driver.createGraphicsPipelines(device, cache, 5, modules, null, pipelines));
        assertEquals(1, failing.failures(), "one growth attempt failed");
        assertEquals(4, driver.pipelineCacheEntryCount(cache), "the table kept its original entries");
        failing.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        for (int i = 0; i < modules.length; i++)
        {
            assertNotEquals(0, pipelines[i]);
            driver.destroyPipeline(device, pipelines[i], null);
            driver.destroyShaderModule(device, modules[i], null);
        }
        driver.destroyPipelineCache(device, cache, failing);
    }

    @Test
    void recordingOutOfHostMemoryIsReportedByEndAndLeavesNothingBehind()
    {
        final DeterministicFailAllocator failing = new DeterministicFailAllocator(
            new SystemAllocator(ViolationHandler.throwing()), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        final RecordingAllocator callbacks = new RecordingAllocator(failing);
        assertEquals(SimResult.SUCCESS, driver.createCommandPool(device, callbacks, out));
        final long pool = out[0];
        assertEquals(SimResult.SUCCESS, driver.allocateCommandBuffers(device, pool, 1, out));
        final long commandBuffer = out[0];
        assertEquals(SimResult.SUCCESS, driver.createBuffer(device, 64, null, out));
        final long buffer = out[0];
        failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 0);
        driver.beginCommandBuffer(commandBuffer);
        driver.cmdFillBuffer(commandBuffer, buffer, 0, SimDriver.WHOLE_SIZE, 7);
        driver.cmdFillBuffer(commandBuffer, buffer, 0, 16, 8);
        assertEquals(SimResult.ERROR_OUT_OF_HOST_MEMORY, driver.endCommandBuffer(commandBuffer));
        assertEquals(1, failing.attempts(), "after the first failure recording stops asking");
        assertThrows(IllegalStateException.class, () -> driver.queueSubmit(driver.deviceQueue(device), commandBuffer, 0));
        failing.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        driver.beginCommandBuffer(commandBuffer);
        driver.cmdFillBuffer(commandBuffer, buffer, 0, SimDriver.WHOLE_SIZE, 7);
        assertEquals(SimResult.SUCCESS, driver.endCommandBuffer(commandBuffer));
        assertEquals(SimResult.SUCCESS, driver.queueSubmit(driver.deviceQueue(device), commandBuffer, 0));
        assertEquals(7, memGetInt(driver.bufferMemory(buffer) + 60));
        driver.destroyBuffer(device, buffer, null);
        driver.destroyCommandPool(device, pool, callbacks);
        assertTrue(callbacks.validate().check(0).passed());
    }

    @Test
    void resetKeepsChunksUnlessAskedToReleaseThem()
    {
        final RecordingAllocator callbacks = recorder();
        assertEquals(SimResult.SUCCESS, driver.createCommandPool(device, callbacks, out));
        final long pool = out[0];
        assertEquals(SimResult.SUCCESS, driver.allocateCommandBuffers(device, pool, 1, out));
        final long commandBuffer = out[0];
        assertEquals(SimResult.SUCCESS, driver.createBuffer(device, 65536, null, out));
        final long buffer = out[0];
        final int[] words = new int[1024];
        for (int round = 0; round < 3; round++)
        {
            driver.beginCommandBuffer(commandBuffer);
            for (int i = 0; i < 8; i++) // 8 x 4 KiB updates: several chunks, some larger than the default
            {
                words[0] = round * 100 + i;
                driver.cmdUpdateBuffer(commandBuffer, buffer, i * 4096L, words, words.length);
            }
            assertEquals(8, driver.commandCount(commandBuffer));
            assertEquals(SimResult.SUCCESS, driver.endCommandBuffer(commandBuffer));
            assertEquals(SimResult.SUCCESS, driver.queueSubmit(driver.deviceQueue(device), commandBuffer, 0));
            assertEquals(round * 100 + 7, memGetInt(driver.bufferMemory(buffer) + 7 * 4096L));
            driver.resetCommandBuffer(commandBuffer, 0);
            if (0 == round)
            {
                callbacks.clear();
            }
        }
        assertEquals(0, callbacks.recordCount(), "re-recording the same commands reuses the chunks");
        driver.resetCommandPool(device, pool, SimDriver.RESET_RELEASE_RESOURCES);
        assertTrue(callbacks.records().stream().filter(r -> r.kind() == AllocationRecord.Kind.FREE).count() >= 2,
            "releasing resources frees the chunks");
        driver.destroyBuffer(device, buffer, null);
        driver.destroyCommandPool(device, pool, callbacks);
    }

    @Test
    void misuseIsAClearError()
    {
        assertEquals(SimResult.SUCCESS, driver.createFence(device, true, null, out));
        final long fence = out[0];
        final IllegalArgumentException wrongType =
            assertThrows(IllegalArgumentException.class, () -> driver.destroyBuffer(device, fence, null));
        assertTrue(wrongType.getMessage().contains("not a live BUFFER handle"), wrongType.getMessage());
        final IllegalStateException children =
            assertThrows(IllegalStateException.class, () -> driver.destroyDevice(device, null));
        assertTrue(children.getMessage().contains("VUID-vkDestroyDevice-device-05137"), children.getMessage());
        assertEquals(SimResult.SUCCESS, driver.waitForFence(device, fence));
        driver.resetFence(device, fence);
        assertEquals(SimResult.TIMEOUT, driver.waitForFence(device, fence));
        driver.destroyFence(device, fence, null);
        assertEquals(SimResult.ERROR_OUT_OF_DEVICE_MEMORY, driver.createBuffer(device, SimDriver.MAX_BUFFER_SIZE + 1,
            null, out));
        assertEquals(SimResult.ERROR_FORMAT_NOT_SUPPORTED, driver.createImage(device, 1234, 4, 4, null, out));
        assertThrows(IllegalArgumentException.class, () -> driver.createBuffer(device, 0, null, out));
        assertThrows(IllegalArgumentException.class,
            () -> driver.createShaderModule(device, new int[] { 1, 2 }, 2, null, out));
        assertNotNull(SimResult.name(SimResult.ERROR_OUT_OF_POOL_MEMORY));
    }
}
