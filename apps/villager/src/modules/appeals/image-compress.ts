/**
 * Photos from a phone camera are 3–10 MB. Anything over 2 MB is redrawn on a canvas at a size that
 * still shows a pothole or a blocked drain clearly and sent as JPEG, which makes the upload quick on
 * 4G. Photos that cannot be drawn (odd formats, too little memory) go as they are.
 */

/** Photos up to this size are sent untouched. */
export const COMPRESS_ABOVE_BYTES = 2 * 1024 * 1024;
/** Longest edge after compression. */
const MAX_EDGE_PX = 2048;
const JPEG_QUALITY = 0.82;
/** Types a canvas can redraw; GIFs stay as they are (they may be animated). */
const REDRAWABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

function loadImage(file: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  const image = new Image();
  return new Promise<HTMLImageElement>((resolve, reject) => {
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('image could not be decoded'));
    image.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

function canvasToBlob(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
}

/** The file itself when small or not redrawable, else a smaller JPEG (never a larger one). */
export async function compressImage(file: File): Promise<File> {
  if (file.size <= COMPRESS_ABOVE_BYTES || !REDRAWABLE.has(file.type)) return file;
  try {
    // Browsers apply the camera's EXIF rotation when drawing an <img>, so portraits stay upright.
    const image = await loadImage(file);
    const scale = Math.min(1, MAX_EDGE_PX / Math.max(image.naturalWidth, image.naturalHeight));
    const width = Math.max(1, Math.round(image.naturalWidth * scale));
    const height = Math.max(1, Math.round(image.naturalHeight * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return file;
    // Transparent PNG areas would turn black in a JPEG.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    const blob = await canvasToBlob(canvas);
    if (!blob || blob.size >= file.size) return file;
    const name = file.name.replace(/\.[^.]*$/, '') || 'photo';
    return new File([blob], `${name}.jpg`, { type: 'image/jpeg', lastModified: file.lastModified });
  } catch {
    return file;
  }
}
