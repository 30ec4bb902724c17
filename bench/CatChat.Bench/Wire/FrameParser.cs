namespace CatChat.Bench.Wire;

/// <summary>Reports the complete frames at the start of <paramref name="data"/>; returns how many bytes they took.</summary>
internal delegate int FrameParser(ReadOnlySpan<byte> data, IFrameSink sink);
