namespace CatChat.Protocol;

/// <summary>
/// One parsed line. <see cref="Text"/> is the message, action, new nick, quit reason, or for
/// <see cref="CommandKind.Unknown"/> and <see cref="CommandKind.MissingArgument"/> the command's name;
/// <see cref="Target"/> is the recipient of <c>/msg</c>, or the room named by <c>/part</c>.
/// </summary>
public readonly record struct ChatCommand(CommandKind Kind, string Text, string? Target = null);
