using Conduit.Pipeline.Store;

namespace Conduit.Pipeline.Tests.Store;

public sealed class StoreIdsTests
{
    [Fact]
    public void Ids_made_in_the_same_millisecond_still_sort_in_creation_order()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1000).Select(_ => StoreIds.New(now)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(26, id.Length));
    }

    [Fact]
    public void A_later_time_gives_a_larger_id()
    {
        var first = StoreIds.New(DateTimeOffset.UtcNow.AddDays(1));
        var second = StoreIds.New(DateTimeOffset.UtcNow.AddDays(2));

        Assert.True(string.CompareOrdinal(first, second) < 0);
    }

    [Fact]
    public void Utc_text_round_trips_and_sorts_like_time()
    {
        var early = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567);
        var late = early.AddTicks(1);

        Assert.Equal(early, UtcTime.Parse(UtcTime.ToText(early)));
        Assert.True(string.CompareOrdinal(UtcTime.ToText(early), UtcTime.ToText(late)) < 0);
        Assert.EndsWith("Z", UtcTime.ToText(early));
        Assert.StartsWith("2026-01-02T01:04:05", UtcTime.ToText(early));
    }
}
