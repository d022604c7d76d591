using FaceCluster.Engine.Store;
using FaceCluster.Model;

namespace FaceCluster.Engine.Tests.Store;

/// <summary>Forgetting the photos whose files are gone (<see cref="EncodingStore.PlanPrune"/>, <see cref="EncodingStore.Prune"/>).</summary>
public sealed class StorePruneTests : IDisposable
{
    private static readonly PhotoFileStamp Stamp = new(Size: 1, Modified: 2, Changed: 3, Device: 4, FileId: 5);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] Key(int n) => Enumerable.Range(0, PhotoContentKey.Length).Select(i => (byte)(i + n)).ToArray();

    private static StoredPhoto Photo(int faces) => new(
        Enumerable.Range(0, faces).Select(i => new StoredFace(i, new FaceBox(1, 1, 5, 5), new FacePoint[5], 0.9f, [i, 1, 2, 3])).ToArray(), 10, 10);

    /// <summary>A store of <paramref name="photos"/> photos at /lib/{n}.jpg, 2 faces each; /lib/copy.jpg shows photo 0 too.</summary>
    private (EncodingStore Store, long Settings) Store(int photos)
    {
        var store = EncodingStore.Open(_temp.File("faces.db"));
        long settings = store.SettingsId("s");
        for (int n = 0; n < photos; n++)
        {
            store.Save(Key(n), settings, Photo(2), $"/lib/{n}.jpg", Stamp with { FileId = n });
        }

        store.Save(Key(0), settings, Photo(2), "/lib/copy.jpg", Stamp with { FileId = 99 });
        return (store, settings);
    }

    [Fact]
    public void Forgets_the_photos_that_are_gone_and_keeps_one_another_path_still_shows()
    {
        (EncodingStore store, long settings) = Store(10);
        using (store)
        {
            // Photo 0 is gone from /lib/0.jpg but still at /lib/copy.jpg; photo 3 is gone.
            var gone = new HashSet<string> { "/lib/0.jpg", "/lib/3.jpg" };
            StorePrunePlan plan = store.PlanPrune(p => !gone.Contains(p));
            Assert.Equal(11, plan.KnownPaths);
            Assert.Equal(gone, plan.GonePaths.ToHashSet());
            Assert.False(plan.WouldShrink);

            Assert.Equal((2, 1, 2), store.Prune(plan, allowShrink: false, p => !gone.Contains(p)));

            Assert.NotNull(store.Find(Key(0), settings, 4));
            Assert.Null(store.Find(Key(3), settings, 4));
            Assert.NotNull(store.Find(Key(4), settings, 4));
            Assert.Null(store.KnownContentKey("/lib/0.jpg", Stamp with { FileId = 0 }));
            Assert.Equal(Key(0), store.KnownContentKey("/lib/copy.jpg", Stamp with { FileId = 99 }));
            Assert.Equal(9, store.PlanPrune(_ => true).KnownPaths);
        }
    }

    [Fact]
    public void A_half_mounted_share_removes_nothing_unless_shrinking_is_allowed()
    {
        (EncodingStore store, long settings) = Store(10);
        using (store)
        {
            // Half the library unreachable: its paths all look gone.
            Func<string, bool> halfMounted = p => p == "/lib/copy.jpg" || int.Parse(Path.GetFileNameWithoutExtension(p)) % 2 == 0;
            StorePrunePlan plan = store.PlanPrune(halfMounted);
            Assert.Equal(5, plan.GonePaths.Count);
            Assert.True(plan.WouldShrink);

            var e = Assert.Throws<EncodingStoreException>(() => store.Prune(plan, allowShrink: false, halfMounted));
            Assert.Equal(EncodingStoreProblem.WouldShrink, e.Problem);
            Assert.Contains("5 of the 11 photo paths", e.Message);
            Assert.Contains("-AllowShrink", e.Message);
            Assert.All(Enumerable.Range(0, 10), n => Assert.NotNull(store.Find(Key(n), settings, 4)));
            Assert.Equal(11, store.PlanPrune(_ => true).KnownPaths);

            Assert.Equal((5, 5, 10), store.Prune(plan, allowShrink: true, halfMounted));
        }
    }

    [Fact]
    public void A_share_not_mounted_at_all_removes_nothing_and_a_fifth_is_the_limit()
    {
        (EncodingStore store, _) = Store(9);
        using (store)
        {
            Assert.True(store.PlanPrune(_ => false).WouldShrink);
            Assert.Throws<EncodingStoreException>(() => store.Prune(store.PlanPrune(_ => false), allowShrink: false, _ => false));
            // 2 of 10 paths gone is a fifth: allowed; 3 is more.
            Assert.False(store.PlanPrune(p => p is not ("/lib/1.jpg" or "/lib/2.jpg")).WouldShrink);
            Assert.True(store.PlanPrune(p => p is not ("/lib/1.jpg" or "/lib/2.jpg" or "/lib/3.jpg")).WouldShrink);
            Assert.Equal(10, store.PlanPrune(_ => true).KnownPaths);
        }
    }

    [Fact]
    public void A_photo_back_since_the_check_is_kept()
    {
        (EncodingStore store, long settings) = Store(10);
        using (store)
        {
            StorePrunePlan plan = store.PlanPrune(p => p != "/lib/5.jpg");
            Assert.Equal((0, 0, 0), store.Prune(plan, allowShrink: false, _ => true));
            Assert.NotNull(store.Find(Key(5), settings, 4));
        }
    }
}
