using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatChat.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MessageId",
                table: "history",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_history_MessageId",
                table: "history",
                column: "MessageId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_history_MessageId",
                table: "history");

            migrationBuilder.DropColumn(
                name: "MessageId",
                table: "history");
        }
    }
}
