namespace CatChat.Protocol.Tests;

public class CommandParserTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("hello world ", "hello world ")]
    [InlineData(" /nick bob", " /nick bob")]
    [InlineData("*** not a notice", "*** not a notice")]
    [InlineData("a/b", "a/b")]
    public void LineNotStartingWithSlashIsSaidAsIs(string line, string text) =>
        Assert.Equal(new ChatCommand(CommandKind.Say, text), CommandParser.Parse(line));

    [Theory]
    [InlineData("//text", "/text")]
    [InlineData("//nick bob", "/nick bob")]
    [InlineData("//", "/")]
    [InlineData("///x", "//x")]
    public void DoubleSlashSaysTheLineWithOneSlash(string line, string text) =>
        Assert.Equal(new ChatCommand(CommandKind.Say, text), CommandParser.Parse(line));

    [Theory]
    [InlineData("/nick bob", "bob")]
    [InlineData("/nick   bob  ", "bob")]
    [InlineData("/NICK bob", "bob")]
    [InlineData("/Nick Bob_42", "Bob_42")]
    [InlineData("/nick bob smith", "bob smith")]
    public void NickTakesTheTrimmedRestOfTheLine(string line, string name) =>
        Assert.Equal(new ChatCommand(CommandKind.Nick, name), CommandParser.Parse(line));

    [Theory]
    [InlineData("/me waves", "waves")]
    [InlineData("/ME waves", "waves")]
    [InlineData("/me   waves  happily  ", "waves  happily")]
    public void MeTakesTheTrimmedAction(string line, string action) =>
        Assert.Equal(new ChatCommand(CommandKind.Me, action), CommandParser.Parse(line));

    [Theory]
    [InlineData("/msg bob hi", "bob", "hi")]
    [InlineData("/msg bob hi there, bob", "bob", "hi there, bob")]
    [InlineData("/msg   bob    hi   ", "bob", "hi")]
    [InlineData("/MSG Bob //not a command", "Bob", "//not a command")]
    public void MsgTakesATargetAndText(string line, string target, string text) =>
        Assert.Equal(new ChatCommand(CommandKind.Msg, text, target), CommandParser.Parse(line));

    [Theory]
    [InlineData("/who")]
    [InlineData("/WHO")]
    [InlineData("/who is here")]
    public void WhoIgnoresAnyArgument(string line) =>
        Assert.Equal(new ChatCommand(CommandKind.Who, string.Empty), CommandParser.Parse(line));

    [Theory]
    [InlineData("/help")]
    [InlineData("/Help")]
    [InlineData("/help me")]
    public void HelpIgnoresAnyArgument(string line) =>
        Assert.Equal(new ChatCommand(CommandKind.Help, string.Empty), CommandParser.Parse(line));

    [Theory]
    [InlineData("/quit", "")]
    [InlineData("/quit   ", "")]
    [InlineData("/QUIT", "")]
    [InlineData("/quit bye all", "bye all")]
    [InlineData("/quit   see you  ", "see you")]
    public void QuitTakesAnOptionalReason(string line, string reason) =>
        Assert.Equal(new ChatCommand(CommandKind.Quit, reason), CommandParser.Parse(line));

    [Theory]
    [InlineData("/dance", "dance")]
    [InlineData("/DANCE now", "dance")]
    [InlineData("/nickname bob", "nickname")]
    [InlineData("/ni bob", "ni")]
    [InlineData("/", "")]
    public void UnknownCommandGivesItsLowerCaseName(string line, string name) =>
        Assert.Equal(new ChatCommand(CommandKind.Unknown, name), CommandParser.Parse(line));

    [Theory]
    [InlineData("/nick", "nick")]
    [InlineData("/nick   ", "nick")]
    [InlineData("/NICK", "nick")]
    [InlineData("/me", "me")]
    [InlineData("/me  ", "me")]
    [InlineData("/msg", "msg")]
    [InlineData("/msg   ", "msg")]
    [InlineData("/msg bob", "msg")]
    [InlineData("/msg bob   ", "msg")]
    [InlineData("/Msg   bob", "msg")]
    public void CommandWithoutItsArgumentGivesMissingArgument(string line, string name) =>
        Assert.Equal(new ChatCommand(CommandKind.MissingArgument, name), CommandParser.Parse(line));

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("     ")]
    public void WhitespaceOnlyLineIsEmpty(string line) =>
        Assert.Equal(new ChatCommand(CommandKind.Empty, string.Empty), CommandParser.Parse(line));

    [Theory]
    [InlineData("nick", "/nick NAME")]
    [InlineData("me", "/me ACTION")]
    [InlineData("msg", "/msg NICK TEXT")]
    [InlineData("who", "/who [#ROOM]")]
    [InlineData("join", "/join #ROOM")]
    [InlineData("quit", "/quit [REASON]")]
    [InlineData("help", "/help")]
    public void UsageOfAKnownCommandIsItsHelpLine(string name, string usage) => Assert.Equal(usage, CommandParser.UsageOf(name));

    [Fact]
    public void UsageOfAnUnknownCommandIsJustItsName() => Assert.Equal("/dance", CommandParser.UsageOf("dance"));

    [Fact]
    public void UsageOfEveryMissingArgumentResultNamesThatCommand()
    {
        foreach (var line in new[] { "/nick", "/me", "/msg", "/msg bob" })
        {
            var command = CommandParser.Parse(line);
            Assert.Equal(CommandKind.MissingArgument, command.Kind);
            Assert.StartsWith(line.Split(' ')[0] + " ", CommandParser.UsageOf(command.Text), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HelpListsEveryCommandInOrder() =>
        Assert.Equal(
            ["/nick NAME", "/join #ROOM", "/part [#ROOM] [REASON]", "/rooms", "/topic [TEXT]", "/who [#ROOM]", "/me ACTION", "/msg NICK TEXT", "/quit [REASON]", "/history [N]", "/undo", "/help", "//TEXT"],
            CommandParser.Commands.Select(command => command.Usage));

    [Fact]
    public void EveryCommandHasADescription() =>
        Assert.All(CommandParser.Commands, command => Assert.False(string.IsNullOrWhiteSpace(command.Description)));

    [Theory]
    [InlineData("n", "/n")]
    [InlineData("ni", "/ni")]
    [InlineData("nickname", "/nickname")]
    public void UsageOfAPrefixOfACommandIsNotThatCommandsUsage(string name, string usage) =>
        Assert.Equal(usage, CommandParser.UsageOf(name));

    [Theory]
    [InlineData("/history", "")]
    [InlineData("/HISTORY 50", "50")]
    public void HistoryTakesAnOptionalCount(string line, string count) =>
        Assert.Equal(new ChatCommand(CommandKind.History, count), CommandParser.Parse(line));

    [Theory]
    [InlineData("/who #cats", "#cats")]
    [InlineData("/WHO #Cats and more", "#Cats")]
    public void WhoMayNameARoom(string line, string room) =>
        Assert.Equal(new ChatCommand(CommandKind.Who, room), CommandParser.Parse(line));

    [Theory]
    [InlineData("/join #cats", "#cats")]
    [InlineData("/JOIN   #Cats  ", "#Cats")]
    public void JoinTakesARoom(string line, string room) =>
        Assert.Equal(new ChatCommand(CommandKind.Join, room), CommandParser.Parse(line));

    [Fact]
    public void JoinWithoutARoomIsMissingItsArgument() =>
        Assert.Equal(new ChatCommand(CommandKind.MissingArgument, "join"), CommandParser.Parse("/join"));

    [Theory]
    [InlineData("/part", null, "")]
    [InlineData("/part #cats", "#cats", "")]
    [InlineData("/part #cats off to bed", "#cats", "off to bed")]
    [InlineData("/part off to bed", null, "off to bed")]
    public void PartMayNameARoomAndAReason(string line, string? room, string reason) =>
        Assert.Equal(new ChatCommand(CommandKind.Part, reason, room), CommandParser.Parse(line));

    [Theory]
    [InlineData("/topic", "")]
    [InlineData("/topic Cats only, please", "Cats only, please")]
    public void TopicShowsOrSets(string line, string text) =>
        Assert.Equal(new ChatCommand(CommandKind.Topic, text), CommandParser.Parse(line));

    [Fact]
    public void RoomsListsTheRooms() =>
        Assert.Equal(new ChatCommand(CommandKind.Rooms, string.Empty), CommandParser.Parse("/rooms"));

    [Theory]
    [InlineData("/undo")]
    [InlineData("/UNDO that")]
    public void UndoTakesBackTheLastLineAndIgnoresAnyArgument(string line) =>
        Assert.Equal(new ChatCommand(CommandKind.Undo, string.Empty), CommandParser.Parse(line));
}
