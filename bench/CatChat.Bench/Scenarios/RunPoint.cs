namespace CatChat.Bench.Scenarios;

/// <summary>One point of a matrix: N clients, message size, total rate (0 = closed loop), and which repeat.</summary>
internal sealed record RunPoint(string Scenario, int N, int Size, double Rate, int Repeat);
