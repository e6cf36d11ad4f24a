// Tiny canvas game: update and collision handling.
function update(state, input, dt) {
  var player = state.player;
  if (input.left) player.vx = -200;
  else if (input.right) player.vx = 200;
  else player.vx *= 0.8;
  if (input.jump && player.onGround) {
    player.vy = -400;
    player.onGround = false;
  }
  player.vy += 900 * dt;
  player.x += player.vx * dt;
  player.y += player.vy * dt;
  player.onGround = false;
  for (var i = 0; i < state.platforms.length; i++) {
    var p = state.platforms[i];
    if (player.x + player.w > p.x && player.x < p.x + p.w) {
      if (player.y + player.h > p.y && player.y + player.h < p.y + 20 && player.vy > 0) {
        player.y = p.y - player.h;
        player.vy = 0;
        player.onGround = true;
      }
    }
  }
  for (var j = state.coins.length - 1; j >= 0; j--) {
    var c = state.coins[j];
    if (Math.abs(player.x - c.x) < 16 && Math.abs(player.y - c.y) < 16) {
      state.coins.splice(j, 1);
      state.score += 10;
    }
  }
  for (var k = 0; k < state.enemies.length; k++) {
    var e = state.enemies[k];
    e.x += e.dir * 60 * dt;
    if (e.x < e.minX || e.x > e.maxX) e.dir = -e.dir;
    if (Math.abs(player.x - e.x) < 20 && Math.abs(player.y - e.y) < 20) {
      if (player.vy > 0 && player.y < e.y) {
        state.enemies.splice(k, 1);
        k--;
        player.vy = -250;
        state.score += 50;
      } else {
        state.lives--;
        player.x = state.spawn.x;
        player.y = state.spawn.y;
        if (state.lives <= 0) state.over = true;
      }
    }
  }
  return state;
}

function draw(ctx, state) {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.fillRect(state.player.x, state.player.y, state.player.w, state.player.h);
  state.platforms.forEach(function (p) { ctx.fillRect(p.x, p.y, p.w, 8); });
}
