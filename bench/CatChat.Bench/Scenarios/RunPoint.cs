namespace CatChat.Bench.Scenarios;

/// <summary>
/// One point of a matrix: N clients, message size, total rate (0 = closed loop), and which repeat; for the rooms
/// scenario also who is in which room (N is then its rooms × members).
/// </summary>
internal sealed record RunPoint(string Scenario, int N, int Size, double Rate, int Repeat, RoomLayout? Rooms = null);
