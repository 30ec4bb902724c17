using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatChat.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RoomHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Room",
                table: "history",
                type: "TEXT",
                maxLength: 33,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_history_Room_Time",
                table: "history",
                columns: new[] { "Room", "Time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_history_Room_Time",
                table: "history");

            migrationBuilder.DropColumn(
                name: "Room",
                table: "history");
        }
    }
}
