package dev.hostalloc.accounting;

/**
 * The figures an {@link AccountingCounters} exports for each account, one Agrona counter each; the
 * {@code SCOPE_*} ones once per allocation scope.
 */
public enum AccountFigure
{
    /** Bytes live. */
    CURRENT_BYTES("current-bytes", false),
    /** Highest bytes live so far. */
    PEAK_BYTES("peak-bytes", false),
    /** The budget, {@link CountersFileDescriptor#UNLIMITED} when there is none. */
    LIMIT_BYTES("limit-bytes", false),
    /** Blocks live. */
    LIVE_BLOCKS("live-blocks", false),
    /** Blocks allocated so far. */
    ALLOCATIONS("allocations", false),
    /** Requests refused by this account's limit. */
    FAILURES("limit-failures", false),
    /** Requests within budget refused by the pool. */
    POOL_FAILURES("pool-failures", false),
    /** Bytes live in one scope. */
    SCOPE_CURRENT_BYTES("scope-current-bytes", true),
    /** Highest bytes live in one scope so far. */
    SCOPE_PEAK_BYTES("scope-peak-bytes", true),
    /** Blocks live in one scope. */
    SCOPE_LIVE_BLOCKS("scope-live-blocks", true);

    /** Type ids are this plus the ordinal: "HA" in the high half keeps them apart from Aeron's. */
    public static final int TYPE_ID_BASE = 0x4841_0000;

    private static final AccountFigure[] FIGURES = values();

    private final String label;
    private final boolean perScope;

    AccountFigure(final String label, final boolean perScope)
    {
        this.label = label;
        this.perScope = perScope;
    }

    /**
     * The figure's word in counter labels.
     *
     * @return e.g. {@code "current-bytes"}.
     */
    public String label()
    {
        return label;
    }

    /**
     * Whether the figure is exported once per scope.
     *
     * @return {@code true} for the {@code SCOPE_*} figures.
     */
    public boolean perScope()
    {
        return perScope;
    }

    /**
     * The Agrona counter type id of this figure.
     *
     * @return {@link #TYPE_ID_BASE} plus the ordinal.
     */
    public int typeId()
    {
        return TYPE_ID_BASE + ordinal();
    }

    /**
     * The figure of a counter type id.
     *
     * @param typeId a counter's type id.
     * @return the figure, or {@code null} when the type id is not one of these.
     */
    public static AccountFigure ofTypeId(final int typeId)
    {
        final int index = typeId - TYPE_ID_BASE;
        return index >= 0 && index < FIGURES.length ? FIGURES[index] : null;
    }
}
