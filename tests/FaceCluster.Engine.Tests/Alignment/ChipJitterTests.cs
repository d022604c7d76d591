using FaceCluster.Engine.Alignment;
using SkiaSharp;

namespace FaceCluster.Engine.Tests.Alignment;

public class ChipJitterTests
{
    [Fact]
    public void OneJitterIsTheChipItself() =>
        Assert.Equal(SKMatrix.Identity, Assert.Single(ChipJitter.ChipToJitteredChip(1, 150)));

    [Fact]
    public void JittersRepeatExactlyAndStaySmall()
    {
        var first = ChipJitter.ChipToJitteredChip(10, 150);
        Assert.Equal(first, ChipJitter.ChipToJitteredChip(10, 150));
        foreach (var map in first)
        {
            // The chip centre moves by at most 2% of 144 pixels plus the zoom (up to 1/0.97) of that shift.
            var centre = map.MapPoint(74.5f, 74.5f);
            Assert.InRange(Math.Abs(centre.X - 74.5f), 0, 3.2);
            Assert.InRange(Math.Abs(centre.Y - 74.5f), 0, 3.2);
            // Scale between 150/144 and 150/(144/0.97), rotation at most 3 degrees (mirroring flips one axis).
            double scale = Math.Sqrt((map.ScaleX * map.ScaleX) + (map.SkewY * map.SkewY));
            Assert.InRange(scale, 150 / (144 / 0.97), 150 / 144.0);
            Assert.InRange(Math.Abs(Math.Atan2(map.SkewY, Math.Abs(map.ScaleX)) * 180 / Math.PI), 0, 3.0001);
        }

        Assert.Contains(first, m => m.ScaleX < 0);
        Assert.Contains(first, m => m.ScaleX > 0);
    }
}
