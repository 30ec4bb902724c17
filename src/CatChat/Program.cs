using CatChat.Hosting;

// The whole wiring lives in Hosting/: CatChatApp builds the host, CatChatHosting adds and maps the chat.
return await CatChatApp.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point, public so tests can reference the assembly through it.</summary>
public partial class Program;
