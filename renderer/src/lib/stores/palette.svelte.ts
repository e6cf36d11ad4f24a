/** Command palette open state (Ctrl/Cmd-K). */
class Palette {
  open = $state(false);
  toggle(): void {
    this.open = !this.open;
  }
}
export const palette = new Palette();
