package dev.hostalloc.sim.layout;

/**
 * A pipeline cache: the object block and its entry table, both CACHE scope from the cache's
 * callbacks. The table grows by reallocation (CACHE scope) when pipelines are added or caches
 * merged.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Entry Count                                   | 24
 *  +---------------------------------------------------------------+
 *  |                 Entry Capacity                                | 28
 *  +---------------------------------------------------------------+
 *  |                 Entries Address (CACHE scope, long[capacity]) | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PipelineCacheDescriptor
{
    /** Offset of the int number of entries. */
    public static final int ENTRY_COUNT_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int capacity of the entry table. */
    public static final int ENTRY_CAPACITY_OFFSET = ENTRY_COUNT_OFFSET + Integer.BYTES;

    /** Offset of the long address of the entry table (one long key per entry). */
    public static final int ENTRIES_OFFSET = ENTRY_CAPACITY_OFFSET + Integer.BYTES;

    /** Length of the block. */
    public static final int LENGTH = ENTRIES_OFFSET + Long.BYTES;

    /** Entries the table has room for when the cache is created. */
    public static final int INITIAL_CAPACITY = 4;

    /** Length of one entry. */
    public static final int ENTRY_LENGTH = Long.BYTES;

    private PipelineCacheDescriptor()
    {
    }
}
