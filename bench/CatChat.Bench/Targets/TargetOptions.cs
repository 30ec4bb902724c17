namespace CatChat.Bench.Targets;

/// <summary>How this tool starts the servers it owns.</summary>
internal sealed record TargetOptions(bool Build, int? PinServer);
