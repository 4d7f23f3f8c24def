// Netlify starts every build from a fresh clone. This local build plugin
// keeps, between builds, what makes the next one a rebuild rather than a
// cold build: blog's cache (highlighted code blocks and the spare copy of
// the last site, in .blog-cache, where netlify.toml's BLOG_CACHE_DIR puts
// it) and cargo's target/ (the compiled blog itself). It uses Netlify's
// own cache API (`utils.cache`); a missing or stale cache is only slower,
// never wrong: blog checks every cached entry by content hash.

export const PATHS = [".blog-cache", "target"];

export const onPreBuild = async function ({ utils }) {
  const restored = await Promise.all(PATHS.map((path) => utils.cache.restore(path)));
  console.log(`blog-cache: restored ${PATHS.filter((_, i) => restored[i]).join(", ") || "nothing (first build)"}`);
};

export const onPostBuild = async function ({ utils }) {
  const saved = await Promise.all(PATHS.map((path) => utils.cache.save(path)));
  console.log(`blog-cache: saved ${PATHS.filter((_, i) => saved[i]).join(", ") || "nothing"}`);
};
